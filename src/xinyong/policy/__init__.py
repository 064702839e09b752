"""Policy packs: versioned TOML rules validated by one set of pydantic models.

Every rule the platform applies (catalog items, disclosure periods, lists,
measures, scoring scales) is data in a pack; code holds no policy numbers.
"""
