"""Failed sign-ins throttled per account and per network address on every door (U3).

django-axes hooks Django's `authenticate()`, so the member sign-in, the admin sign-in and the
OAuth password grant all pass through `accounts.backends.MemberBackend` and this handler.
Two things stock axes does not give, measured in docs/accounts.md:

- separate limits per account (LINKWELL_LOGIN_FAILURES_PER_ACCOUNT) and per IP (_PER_IP):
  axes compares every lockout parameter with one AXES_FAILURE_LIMIT;
- counting atomically: axes checks the lock in the backend and records the failure later, from
  the `user_login_failed` signal, so parallel guesses all pass the check (24 parallel wrong
  passwords let 24 through). Here an attempt is counted as a failure *before* the password is
  checked, under a lock on the account and one on the IP, and a success takes it back.
"""

import logging
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Max, Q, Sum, Value, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from accounts.queries import by_identifier
from core import clock
from core.errors import RateLimited

log = logging.getLogger(__name__)

TOO_MANY_FOR_ACCOUNT = _(
    "Too many failed sign-in attempts for this account. Try again after {until} UTC."
)
TOO_MANY_FROM_IP = _(
    "Too many failed sign-in attempts from your network. Try again after {until} UTC."
)
SIGN_IN_REFUSED = _("This sign-in was refused: too many failed attempts. Try again later.")

# pg_advisory_xact_lock(namespace, key): the namespace keeps our keys apart from other locks.
LOCK_NAMESPACE = 0x5533


def client_ip(request) -> str | None:
    """REMOTE_ADDR only: a forwarded header is the client's to forge (AXES_CLIENT_IP_CALLABLE)."""
    meta = getattr(request, "META", None) or {}
    return meta.get("REMOTE_ADDR") or None


def account_key(identifier: str | None) -> str:
    """Failures count against the account whichever of handle or e-mail was typed."""
    identifier = (identifier or "").replace("\x00", "").strip()
    member = by_identifier(identifier) if identifier else None
    return (member.username if member else identifier).lower()[:255]


def account_key_from(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the same key in axes' own records (admin, access log)."""
    cached = getattr(request, "sign_in_account_key", None)
    if cached is not None:
        return cached
    return account_key((credentials or {}).get("username"))


def serialise(*keys: str) -> None:
    """One PostgreSQL advisory lock per key, held to the end of the transaction.

    Always account then IP, so two attempts never wait on each other in a circle. SQLite needs
    nothing: its IMMEDIATE transactions take the database's write lock at BEGIN.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, key])


def _until(rows) -> datetime:
    return rows.aggregate(latest=Max("attempt_time"))["latest"] + settings.LINKWELL_LOGIN_LOCKOUT


def _failures(rows) -> int:
    return rows.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _refusal(key: str, ip: str | None, since: datetime) -> RateLimited | None:
    recent = AccessAttempt.objects.filter(attempt_time__gt=since)
    account = recent.filter(username=key)
    if _failures(account) >= settings.LINKWELL_LOGIN_FAILURES_PER_ACCOUNT:
        until = _until(account)
        message = TOO_MANY_FOR_ACCOUNT.format(until=f"{until:%H:%M}")
        return RateLimited(message, rule="U3", until=until)
    if ip:
        from_ip = recent.filter(ip_address=ip)
        if _failures(from_ip) >= settings.LINKWELL_LOGIN_FAILURES_PER_IP:
            until = _until(from_ip)
            message = TOO_MANY_FROM_IP.format(until=f"{until:%H:%M}")
            return RateLimited(message, rule="U3", until=until)
    return None


def _prepare(request: HttpRequest, identifier: str | None) -> str:
    AxesProxyHandler.update_request(request)
    request.axes_attempt_time = clock.now()
    request.sign_in_account_key = account_key(identifier)
    return request.sign_in_account_key


def admit(request: HttpRequest, identifier: str | None) -> RateLimited | None:
    """Count this attempt as a failure unless a limit is already reached; else the refusal.

    Refused attempts are not counted, so the lock lapses at the time the refusal names.
    """
    key = _prepare(request, identifier)
    ip, now = request.axes_ip_address, request.axes_attempt_time
    since = now - settings.LINKWELL_LOGIN_LOCKOUT
    _clean_expired(since)
    with transaction.atomic():
        serialise(f"account:{key}", f"ip:{ip}")
        refusal = _refusal(key, ip, since)
        if refusal is None:
            _count_failure(request, key, since)
    if refusal is not None:
        request.sign_in_refusal = refusal
        request.axes_locked_out = True  # AxesMiddleware answers for a door that doesn't
        log.warning("Sign-in refused for %r from %s: %s", key, ip, refusal.message)
    return refusal


def _count_failure(request: HttpRequest, key: str, since: datetime) -> None:
    now = request.axes_attempt_time
    fields = {
        "http_accept": request.axes_http_accept,
        "path_info": request.axes_path_info,
        "attempt_time": now,
    }
    row = AccessAttempt.objects.filter(
        username=key, ip_address=request.axes_ip_address, user_agent=request.axes_user_agent
    )
    # A row whose latest failure has lapsed starts again at one.
    counted = row.update(
        failures_since_start=Case(
            When(attempt_time__gt=since, then=F("failures_since_start") + 1), default=Value(1)
        ),
        **fields,
    )
    if not counted:
        created = AccessAttempt.objects.create(
            username=key,
            ip_address=request.axes_ip_address,
            user_agent=request.axes_user_agent,
            get_data="",  # the request's data is not kept: it may hold secrets
            post_data="",
            failures_since_start=1,
            **fields,
        )
        AccessAttempt.objects.filter(pk=created.pk).update(attempt_time=now)  # not auto_now
    request.sign_in_counted = True


def prune(lapsed) -> None:
    """Delete rows past their window; rows another attempt holds are skipped, never waited on."""
    with transaction.atomic():
        ids = list(lapsed.select_for_update(skip_locked=True).values_list("pk", flat=True)[:1000])
        if ids:
            lapsed.model.objects.filter(pk__in=ids).delete()


def _clean_expired(since: datetime) -> None:
    prune(AccessAttempt.objects.filter(attempt_time__lte=since))


def forgive(request: HttpRequest, member) -> None:
    """A success takes back its own count and clears the account's failures, not the IP's."""
    key = member.username.lower()
    with transaction.atomic():
        serialise(f"account:{key}")
        AccessAttempt.objects.filter(username=key).delete()
    request.sign_in_counted = False


def forget(*, member) -> None:
    """U4: a deleted member's sign-in records go with them (typed by handle or by address)."""
    names = Q(username__iexact=member.username) | Q(username__iexact=member.email)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(names).delete()


def take_refusal(request) -> RateLimited | None:
    """The door that shows the refusal takes it, so AxesMiddleware doesn't answer twice."""
    if request is None:
        return None
    refusal = request.__dict__.pop("sign_in_refusal", None)
    if refusal is not None:
        request.axes_locked_out = False
    return refusal


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer for a door that called authenticate() but left the
    refusal untaken. JSON under /api/ and /oauth/, a page elsewhere; 429 either way."""
    refusal = take_refusal(request)
    message = refusal.message if refusal is not None else str(SIGN_IN_REFUSED)
    if request.path.startswith(("/api/", "/oauth/")):
        return JsonResponse({"error": message, "rule": "U3"}, status=429)
    body = render_to_string("web/accounts/sign_in_refused.html", {"message": message}, request)
    return HttpResponse(body, status=429)


class SignInThrottle(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database records, with the two limits and the atomic count above."""

    def is_locked(self, request, credentials=None) -> bool:
        key = _prepare(request, (credentials or {}).get("username"))
        since = request.axes_attempt_time - settings.LINKWELL_LOGIN_LOCKOUT
        return _refusal(key, request.axes_ip_address, since) is not None

    def get_failures(self, request, credentials=None) -> int:
        key = _prepare(request, (credentials or {}).get("username"))
        since = request.axes_attempt_time - settings.LINKWELL_LOGIN_LOCKOUT
        return _failures(AccessAttempt.objects.filter(username=key, attempt_time__gt=since))

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Counted already by `admit`; here every failure is also logged for good (U3)."""
        if request is None:
            return
        AccessFailureLog.objects.create(
            username=getattr(request, "sign_in_account_key", None)
            or account_key((credentials or {}).get("username")),
            ip_address=request.axes_ip_address,
            user_agent=request.axes_user_agent,
            http_accept=request.axes_http_accept,
            path_info=request.axes_path_info,
            locked_out=getattr(request, "sign_in_refusal", None) is not None,
        )

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        _clean_expired(clock.now() - settings.LINKWELL_LOGIN_LOCKOUT)
        return 0
