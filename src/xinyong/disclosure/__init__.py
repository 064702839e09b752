"""Disclosure: the one path to a subject's file, deciding per role what is shown, masked and audited.

``model`` holds the rules (pure); ``service`` the ``access_*`` functions the
API and the portal call.
"""
