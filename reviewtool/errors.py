"""Errors the services raise; the faces turn them into status codes and messages.

Each carries a list of {"field"?, "message"} problems so that a 422 can report every problem
at once, and the JSON API's error shape ({"errors": [...]}) falls straight out of it."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base of the errors a person can act on. `status` is the HTTP status the faces answer."""

    status = 400

    def __init__(self, message: str | None = None, *, problems: list[dict[str, Any]] | None = None,
                 **details: Any):
        self.problems = problems or [{"message": message or self.default_message}]
        self.details = details
        super().__init__(message or "; ".join(p["message"] for p in self.problems))

    default_message = "The request could not be done."

    @property
    def messages(self) -> list[str]:
        """The problems as plain sentences."""
        return [p["message"] for p in self.problems]


class NotAuthenticated(ServiceError):
    status = 401
    default_message = "Sign in first: send an 'Authorization: Bearer <token>' header."


class NotFound(ServiceError):
    status = 404
    default_message = "Not found."


class Forbidden(ServiceError):
    status = 403
    default_message = "You are not allowed to do that."


class Conflict(ServiceError):
    status = 409
    default_message = "Someone else changed this first; reload and try again."


class Gone(ServiceError):
    status = 410
    default_message = "This is no longer available."


class TooManyAttempts(ServiceError):
    """Refused for a while (429); `details["retry_after"]` says for how many seconds."""

    status = 429
    default_message = "Too many failed attempts; try again later."


class Invalid(ServiceError):
    status = 422
    default_message = "The input is not valid."


def invalid(field: str | None, message: str) -> Invalid:
    """A 422 about one field."""
    problem = {"message": message} if field is None else {"field": field, "message": message}
    return Invalid(problems=[problem])
