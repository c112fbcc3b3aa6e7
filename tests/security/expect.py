"""The vocabulary of classification.py: outcomes, and an entry's expectation per reader kind."""

from dataclasses import dataclass, field

from tests.security.cast import READERS

# Outcomes, as tests/security/test_matrix.py reads them off a response.
OK = "200"  # a 2xx answer
CARD = "card"  # a 2xx answer showing the owner's public card only (S1)
REDIRECT = "redirect"  # a 3xx elsewhere than the sign-in page: a form that did its work
SIGN_IN = "sign in"  # a 3xx to the sign-in page (web) or the admin's
UNAUTHORIZED = "401"
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
REFUSED = "400"  # 400, 409 or 422: the request itself was refused (a rule, a bad form)
LIMITED = "429"

SIGNED_IN = tuple(r for r in READERS if r != "anonymous")


@dataclass(frozen=True)
class Expect:
    """What each kind of reader gets from one route, and why."""

    reason: str
    outcomes: dict  # reader kind → outcome
    method: str = "get"  # web routes; API operations bring their own
    data: dict | None = None  # form fields or JSON body; values may name a cast parameter
    params: dict = field(default_factory=dict)  # path parameter → value or cast parameter
    path: str = ""  # a fixed path, for a route whose pattern can't be filled in
    shows: tuple = ()  # markers a reader who may see them must find in a 2xx body
    json: bool = True  # API bodies are JSON; False sends form data (a multipart upload)

    def __post_init__(self):
        missing = set(READERS) - set(self.outcomes)
        assert not missing, f"{self.reason!r}: no outcome for {sorted(missing)}"


def expect(reason: str, default: str = OK, **options) -> Expect:
    """An entry: `default` for every reader, then per reader kind (`anonymous=SIGN_IN`)."""
    outcomes = {kind: options.pop(kind, default) for kind in READERS}
    return Expect(reason, outcomes, **options)


def public(reason: str, default: str = OK, **options) -> Expect:
    """Anyone at all, signed in or not, blocked or not, gets the same: nothing here belongs
    to a member."""
    return expect(reason, default, **options)


def members(reason: str, *, api: bool = True, **options) -> Expect:
    """Any signed-in member, about themselves (their own feed, settings, inbox)."""
    options.setdefault("anonymous", UNAUTHORIZED if api else SIGN_IN)
    return expect(reason, OK, **options)


def about_member(reason: str, *, api: bool = True, **options) -> Expect:
    """About the owner (the member in the path): B1 makes it a 404 across a block."""
    options.setdefault("anonymous", UNAUTHORIZED if api else SIGN_IN)
    options.setdefault("blocked", NOT_FOUND)
    options.setdefault("blocking", NOT_FOUND)
    return expect(reason, OK, **options)


def owner_only(reason: str, *, api: bool = True, others: str = NOT_FOUND, **options) -> Expect:
    """The owner's own thing (a filter, a notification, an upload, their edit pages): anyone
    else is told it doesn't exist."""
    options.setdefault("anonymous", UNAUTHORIZED if api else SIGN_IN)
    options.setdefault("owner", OK)
    return expect(reason, others, **options)


def private_post(reason: str, *, api: bool = True, **options) -> Expect:
    """About Olga's connections-only post (P1): hers and her connections', a 404 to others."""
    options.setdefault("anonymous", UNAUTHORIZED if api else SIGN_IN)
    options.setdefault("owner", OK)
    options.setdefault("connection", OK)
    return expect(reason, NOT_FOUND, **options)
