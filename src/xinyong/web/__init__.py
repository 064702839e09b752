"""The public portal (信用门户): server-rendered pages of what the law makes public.

Pages call the disclosure services as the public does (:data:`.pages.PORTAL`,
role ``public``); nothing here decides what may be shown. Jinja2 templates
autoescape everything; the only script is served from ``/static`` under a
Content-Security-Policy with a per-response nonce (:mod:`.security`).
"""
