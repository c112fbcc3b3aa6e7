"""Request bodies as Mastodon clients send them: JSON, a form, or multipart, on any method.

Arrays arrive as `key[]=a&key[]=b` in forms and as lists in JSON; both come out as lists.
"""

import json

from django.utils.translation import gettext_lazy as _

from core.errors import Invalid

BAD_BOOLEAN = _("Validation failed: {name} must be true or false")
BAD_JSON = _("Validation failed: the request body is not valid JSON")


def payload(request) -> tuple[dict, dict]:
    """(fields, files): a field is a string, a bool/number from JSON, or a list."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise Invalid(BAD_JSON) from exc
        if not isinstance(data, dict):
            raise Invalid(BAD_JSON)
        return data, {}
    if request.method not in ("POST", "GET") and not hasattr(request, "_post"):
        method, request.method = request.method, "POST"
        try:
            request._load_post_and_files()
        finally:
            request.method = method
    fields: dict = {}
    for key in request.POST:
        values = request.POST.getlist(key)
        if key.endswith("[]"):
            fields[key[:-2]] = values
        else:
            fields[key] = values[-1]
    return fields, {key: request.FILES[key] for key in request.FILES}


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


TRUE = {"1", "true", "on", "yes"}
FALSE = {"0", "false", "off", "no", ""}


def as_bool(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise Invalid(BAD_BOOLEAN.format(name=name))
