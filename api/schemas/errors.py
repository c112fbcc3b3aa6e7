"""The one error entity every 4xx answer of the API has (docs/api.md, "Errors")."""

from typing import Any

from ninja import Schema


class Error(Schema):
    """`error` is the sentence shown to the member; `rule` the product rule that refused
    (N4, B1...), `until` when the refusal lapses, `details` Mastodon's per-field errors."""

    error: str
    rule: str | None = None
    until: str | None = None
    details: dict[str, Any] | None = None
