"""API keys: roles, department scope, hashed secrets, revocation."""
