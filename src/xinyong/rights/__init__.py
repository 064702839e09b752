"""Rights of the people in the file: objections (异议), and later credit repair and consent.

:mod:`.objections` holds the rules as plain Python, :mod:`.attachments` checks
evidence by its content, :mod:`.service` is the one use-case layer the API,
the portal and the CLI call.
"""
