"""Who is on the other end of the request, as far as the audit trail and the sign-in limits
need to know: the client's address (after TRUSTED_PROXIES, see app.py)."""

from __future__ import annotations

from flask import request


def address() -> str:
    """The client's network address, or "" when the server does not know it."""
    return (request.remote_addr or "")[:64]
