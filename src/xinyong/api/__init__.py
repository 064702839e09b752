"""The HTTP API (FastAPI): ``create_app(settings)``, auth, problem+json, thin routes."""
