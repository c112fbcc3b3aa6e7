"""Input at the edge: what no field can hold is refused once, before any view or query sees it.

A NUL character (PostgreSQL text can't store one), a lone surrogate (not a character, so not
encodable as UTF-8) and a number past the signed 64-bit range that every id, offset and limit
column holds would each reach the database as a 500. `EdgeMiddleware` checks the path, the
query string, form fields, JSON bodies, cookies and headers of every request (web, API and
/oauth/), and makes every error answer under /api/ JSON. No domain rules here: only what the
storage and the wire can't take. docs/security.md, "Input at the edge", says what is refused.
"""

import base64
import binascii
import json
import math
import re
from http import HTTPStatus
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
WHOLE_NUMBER = re.compile(r"[+-]?\d+(?:_\d+)*")

NUL_CHARACTER = _("{where} contains a NUL character (\\u0000), which no text can hold.")
LONE_SURROGATE = _(
    "{where} contains a lone surrogate ({code}), which is not a character; send text as UTF-8."
)
NUMBER_OUT_OF_RANGE = _(
    "{where} is out of range: ids, offsets and limits are whole numbers from "
    "-9223372036854775808 to 9223372036854775807."
)
NUMBER_NOT_FINITE = _("{where} is not a finite number.")
BODY_TOO_LARGE = _(
    "The request body is too large: at most {limit} MB of form or JSON data (files aside)."
)
TOO_MANY_FIELDS = _("The request has too many fields: at most {limit}.")
TOO_MANY_FILES = _("The request has too many files: at most {limit}.")
BODY_UNREADABLE = _("The request body could not be read: {reason}.")
JSON_TOO_DEEP = _("The JSON body is nested too deeply.")
NOT_FOUND = _("Record not found")  # Mastodon's words, as the API's own 404s
METHOD_NOT_ALLOWED = _("This endpoint does not take {method}; it takes {allowed}.")
STATUS_SENTENCES = {
    400: _("The request could not be read."),
    403: _("You are not allowed to do that."),
    404: NOT_FOUND,
    413: _("The request body is too large."),
    500: _("Something went wrong on our side; please try again in a moment."),
}
# OAuth's own error codes (RFC 6749 §5.2) for the token and revocation endpoints.
OAUTH_ERRORS = {401: "invalid_client", 500: "server_error", 503: "temporarily_unavailable"}

# Paging positions: a value past the range means "past everything", so it is clamped.
CLAMPED = frozenset({"offset", "limit", "max_id", "since_id", "min_id"})
# Named like ids but text: an OAuth client_id is a random string.
TEXT_NAMES = frozenset({"client_id"})


class Refusal(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# --- Which paths answer machines -------------------------------------------------------


def answers_json(path: str) -> bool:
    """The API, OAuth's token endpoints and /.well-known/; the consent page is a web page."""
    if path.startswith(("/api/", "/.well-known/")) or path == "/api":
        return True
    return path.startswith("/oauth/") and not path.startswith("/oauth/authorize")


def answers_oauth(path: str) -> bool:
    return path.startswith("/oauth/") and answers_json(path)


def refusal_response(request, message: str, status: int = 400) -> HttpResponse:
    path = request.path_info
    if answers_oauth(path):
        return JsonResponse(
            {"error": OAUTH_ERRORS.get(status, "invalid_request"), "error_description": message},
            status=status,
        )
    if answers_json(path):
        return JsonResponse({"error": message}, status=status)
    return plain_page(message, status)


def plain_page(message: str, status: int) -> HttpResponse:
    """Rendered without the request: the layout reads the session, and this request is bad."""
    try:
        html = render_to_string("400.html", {"message": message, "status": status})
    except TemplateDoesNotExist:
        html = f"<!doctype html><title>Bad request</title><h1>Bad request</h1><p>{escape(message)}"
    return HttpResponse(html, status=status)


# --- Text and numbers --------------------------------------------------------------------


def shown(name: str) -> str:
    """A field name safe to repeat in an answer: bad characters escaped, long names cut."""
    text = BAD_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", str(name))
    return text if len(text) <= 60 else text[:57] + "..."


def check_text(where, value: str) -> None:
    match = BAD_TEXT.search(value)
    if match is None:
        return
    if match.group() == "\x00":
        raise Refusal(str(NUL_CHARACTER).format(where=where))
    code = f"\\u{ord(match.group()):04x}"
    raise Refusal(str(LONE_SURROGATE).format(where=where, code=code))


def integer_kind(name: str) -> str | None:
    """'clamp' for paging positions, 'id' for ids, None for text (by the field's name)."""
    base = name[:-2] if name.endswith("[]") else name
    base = base.lower()
    if base in CLAMPED:
        return "clamp"
    if base in TEXT_NAMES:
        return None
    if base in ("id", "ids") or base.endswith(("_id", "_ids")):
        return "id"
    return None


def out_of_range(value: str) -> int | None:
    """+1 or -1 when `value` is a whole number (as int() reads one) past 64 bits, else None."""
    text = value.strip()
    if not WHOLE_NUMBER.fullmatch(text):
        return None
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").replace("_", "").lstrip("0")
    if len(digits) > 19:  # past 64 bits, without int() (which refuses > 4300 digits)
        return sign
    number = int(text)
    return sign if not INT64_MIN <= number <= INT64_MAX else None


def check_number_text(where, name: str, value: str) -> None:
    if integer_kind(name) is not None and out_of_range(value) is not None:
        raise Refusal(str(NUMBER_OUT_OF_RANGE).format(where=where))


# --- The parts of a request --------------------------------------------------------------


def check_path(request) -> None:
    check_text(_("The address"), request.path_info)


def check_query(request) -> None:
    """Refuses bad text and out-of-range ids; clamps paging positions (docs/security.md)."""
    clamped = {}
    for name, values in request.GET.lists():
        where = _("The query parameter “{name}”").format(name=shown(name))
        check_text(where, name)
        for value in values:
            check_text(where, value)
        kind = integer_kind(name)
        if kind == "id":
            for value in values:
                check_number_text(where, name, value)
        elif kind == "clamp":
            signs = [out_of_range(value) for value in values]
            if any(signs):
                clamped[name] = [
                    value if sign is None else str(INT64_MAX if sign > 0 else INT64_MIN)
                    for value, sign in zip(values, signs, strict=True)
                ]
    if clamped:
        query = request.GET.copy()
        for name, values in clamped.items():
            query.setlist(name, values)
        query._mutable = False
        request.GET = query


def check_cookies(request) -> None:
    """A cookie with a NUL is dropped, not refused: a tossed cookie must not lock a member out."""
    for name in [n for n, v in request.COOKIES.items() if BAD_TEXT.search(n + v)]:
        del request.COOKIES[name]


def check_headers(request) -> None:
    for key, value in request.META.items():
        if key == "HTTP_COOKIE" or not key.startswith("HTTP_"):
            continue  # cookies are dropped one by one in check_cookies
        if isinstance(value, str) and "\x00" in value:
            name = key[5:].replace("_", "-").title()
            raise Refusal(str(NUL_CHARACTER).format(where=_("The header {name}").format(name=name)))
    scheme, _sep, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic" and credentials.strip():
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return  # the toolkit answers invalid_client for credentials it can't read
        # the toolkit percent-decodes them too (RFC 6749 §2.3.1), so "%00" is a NUL there
        check_text(_("The Basic credentials"), decoded)
        check_text(_("The Basic credentials"), unquote_plus(decoded))


def check_body(request) -> None:
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        check_form(request)
    elif content_type == "application/json" or content_type.endswith("+json"):
        check_json(request)


def _read_form(request) -> None:
    """Parses the form as the views will see it, PATCH and PUT included (api/payload.py)."""
    if request.method == "POST":
        request.POST  # noqa: B018 - parsing is the point
    elif request.method not in ("GET", "HEAD", "OPTIONS") and not hasattr(request, "_post"):
        method, request.method = request.method, "POST"
        try:
            request._load_post_and_files()
        finally:
            request.method = method


def check_form(request) -> None:
    try:
        _read_form(request)
    except RequestDataTooBig as exc:
        raise Refusal(_too_large(), status=413) from exc
    except TooManyFieldsSent as exc:
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        raise Refusal(str(TOO_MANY_FIELDS).format(limit=limit)) from exc
    except TooManyFilesSent as exc:
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        raise Refusal(str(TOO_MANY_FILES).format(limit=limit)) from exc
    except (MultiPartParserError, SuspiciousOperation, BadRequest, OSError) as exc:
        raise Refusal(str(BODY_UNREADABLE).format(reason=_reason(exc))) from exc
    post = getattr(request, "_post", None)
    for name, values in post.lists() if post is not None else ():
        where = _("The field “{name}”").format(name=shown(name))
        check_text(where, name)
        for value in values:
            check_text(where, value)
            check_number_text(where, name, value)
    files = getattr(request, "_files", None)
    for name, uploads in files.lists() if files is not None else ():
        where = _("The file field “{name}”").format(name=shown(name))
        check_text(where, name)
        for upload in uploads:
            check_text(where, upload.name or "")
            check_text(where, upload.content_type or "")


def check_json(request) -> None:
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise Refusal(_too_large(), status=413) from exc
    except OSError as exc:
        raise Refusal(str(BODY_UNREADABLE).format(reason=_reason(exc))) from exc
    if not body:
        return
    try:
        data = json.loads(body)
    except RecursionError as exc:
        raise Refusal(str(JSON_TOO_DEEP)) from exc
    except ValueError:
        return  # not JSON: the view answers that in its own words
    walk_json(data)


def walk_json(data) -> None:
    """Every key and value at any depth, without recursion (a body may nest 100,000 deep)."""
    stack = [("", "", data)]
    while stack:
        label, name, value = stack.pop()
        where = _("The field “{name}”").format(name=shown(label or "body"))
        if isinstance(value, dict):
            for key, item in value.items():
                key_label = f"{label}.{key}" if label else key
                check_text(_("The field “{name}”").format(name=shown(key_label)), key)
                stack.append((key_label, key, item))
        elif isinstance(value, list):
            stack.extend((f"{label}[{i}]", name, item) for i, item in enumerate(value))
        elif isinstance(value, str):
            check_text(where, value)
            check_number_text(where, name, value)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not INT64_MIN <= value <= INT64_MAX:
                raise Refusal(str(NUMBER_OUT_OF_RANGE).format(where=where))
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise Refusal(str(NUMBER_NOT_FINITE).format(where=where))
            if not INT64_MIN <= value <= INT64_MAX:
                raise Refusal(str(NUMBER_OUT_OF_RANGE).format(where=where))


def _too_large() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return str(BODY_TOO_LARGE).format(limit=f"{limit:g}")


def _reason(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".") or type(exc).__name__
    return shown(text[:1].lower() + text[1:])


# --- Answers under /api/ are JSON ----------------------------------------------------------


def as_json(request, response):
    """An error page (405, Django's 400/403/404/413/500 pages) becomes a JSON error."""
    if response.status_code < 400 or response.streaming:
        return response
    if "json" in response.get("Content-Type", ""):
        return response
    status = response.status_code
    if status == 405:
        allowed = response.get("Allow", "")
        message = str(METHOD_NOT_ALLOWED).format(method=request.method, allowed=allowed)
    else:
        message = str(STATUS_SENTENCES.get(status, HTTPStatus(status).phrase))
    if answers_oauth(request.path_info):
        body = {"error": OAUTH_ERRORS.get(status, "invalid_request"), "error_description": message}
    else:
        body = {"error": message}
    answer = JsonResponse(body, status=status)
    for header, value in response.items():
        if header.lower() not in ("content-type", "content-length"):
            answer[header] = value
    answer.cookies = response.cookies
    return answer


class EdgeMiddleware:
    """Refuses bad input for every request, and keeps the API's answers JSON.

    Sits just inside SecurityMiddleware and WhiteNoise, before sessions and CSRF: a refused
    request never reaches a session lookup, a view or the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_path(request)
            check_headers(request)
            check_cookies(request)
            check_query(request)
            check_body(request)
        except Refusal as refusal:
            return refusal_response(request, refusal.message, refusal.status)
        response = self.get_response(request)
        if answers_json(request.path_info):
            response = as_json(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A path id past 64 bits (`<int:...>`, ninja's `{int:...}`) names nothing: 404."""
        for value in (*view_args, *view_kwargs.values()):
            is_number = isinstance(value, int) and not isinstance(value, bool)
            if is_number and not INT64_MIN <= value <= INT64_MAX:
                raise Http404(NOT_FOUND)
        return None
