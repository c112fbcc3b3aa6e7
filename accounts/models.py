"""Members: who can sign in. A member's public face lives in profiles."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

HANDLE_PATTERN = r"\A[A-Za-z0-9_]{3,30}\Z"  # \Z: "$" would let a trailing newline in (U1)
HANDLE_RULE = _("A handle is 3 to 30 letters, digits or underscores.")


def handle_is(handle: str) -> Exact:
    """LOWER(username) = LOWER(handle): the very expression of the unique index
    user_handle_ci_unique below, so a look-up in any case is an index search on both
    databases (pinned by EXPLAIN in tests/accounts/test_queries.py). `username__iexact`
    compiles to UPPER(...) on PostgreSQL and LIKE on SQLite, and scans the whole table."""
    return Exact(Lower("username"), Lower(Value(handle, output_field=models.CharField())))


def email_is(email: str) -> Exact:
    """LOWER(email) = LOWER(email): served by user_email_ci_unique, as `handle_is`."""
    return Exact(Lower("email"), Lower(Value(email, output_field=models.CharField())))


class MemberManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(handle_is(username))


class User(AbstractUser):
    """A member. `username` is the handle shown in /in/<handle>/ and as the Mastodon acct."""

    username = models.CharField(
        "handle",
        max_length=30,
        unique=True,
        validators=[RegexValidator(HANDLE_PATTERN, HANDLE_RULE)],
        error_messages={"unique": "That handle is taken."},
    )
    email = models.EmailField("e-mail address")
    display_name = models.CharField(max_length=100)
    email_confirmed = models.BooleanField(default=False)

    objects = MemberManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_handle_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]
        # Issue 17's "same name and company" match looks display names up exactly: without
        # it, 30,000 names against 1,000,000 members were scans (docs/benchmarks.md).
        indexes = [models.Index(fields=["display_name"], name="user_display_name")]

    def __str__(self) -> str:
        return f"@{self.username}"

    @property
    def handle(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username


class PasswordResetRequest(models.Model):
    """One password-reset mail asked for, counted per address and per IP (U3).

    The address is kept only as a digest: the form takes addresses that may be no member's.
    """

    address_digest = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(db_index=True)
