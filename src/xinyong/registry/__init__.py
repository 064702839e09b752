"""The subject registry: who the subjects are, their professions and representatives.

``model`` holds the domain types; ``service`` the use cases the CLI, API and
portal call. SQL lives in ``xinyong.store``.
"""
