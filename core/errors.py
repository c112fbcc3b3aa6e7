"""Refusals: every rule that says no raises one of these with a message a member can read.

The API answers them as 4xx JSON `{"error": message, "rule": "N4"}`; the web shows the
message. A message is a plain sentence saying what stops the member and, where it lapses,
when; the rule id travels only in `rule`, never in the sentence.
"""

from datetime import datetime


class Refused(Exception):
    status = 400

    def __init__(self, message: str, *, rule: str | None = None, until: datetime | None = None):
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.until = until


class NotFound(Refused):
    status = 404


class Forbidden(Refused):
    status = 403


class Gone(Refused):
    """What was there for this member and lapsed (a download link past its days)."""

    status = 410


class Conflict(Refused):
    status = 409


class RateLimited(Refused):
    status = 429


class Invalid(Refused):
    status = 422
