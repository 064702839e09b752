"""What portal tests do with forms: read a page's CSRF token, sign in, make a small evidence file."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from httpx import Response
from PIL import Image

AGENT_LOGIN = "company-agent"
PASSWORD = "correct horse battery"


def token(page: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, password: str = PASSWORD, login: str = AGENT_LOGIN) -> Response:
    """Post the sign-in form, as a browser would after loading it."""
    sent = token(client.get("/signin").text)
    return client.post("/signin", data={"login": login, "password": password, "csrf": sent},
                       follow_redirects=False)  # fmt: skip


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()
