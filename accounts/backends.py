"""The one authentication backend: handle or e-mail and password, behind the throttle (U3)."""

from asgiref.sync import sync_to_async
from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts import throttle
from accounts.models import User
from accounts.queries import by_identifier, signed_in_member


class MemberBackend(AxesStandaloneBackend, ModelBackend):
    """Every `authenticate()` call passes here: /login/, /admin/login/, the password grant.

    A call without a request (a test client's `login`) is still throttled per account.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        if request is None:
            request = HttpRequest()
        if throttle.admit(request, username) is not None:
            # authenticate() stops here and sends user_login_failed; the door shows the refusal.
            raise AxesBackendPermissionDenied("Too many failed sign-in attempts.")
        member = None if "\x00" in username else by_identifier(username)
        if member is None:
            User().set_password(password)  # as slow as a real check, so timing reveals nothing
            return None
        if member.check_password(password) and self.user_can_authenticate(member):
            throttle.forgive(request, member)
            return member
        return None

    def get_user(self, user_id):
        """The session's member and their interface language in one statement (issue 18:
        the language was a statement of its own on every page); inactive: nobody, as Django's."""
        member = signed_in_member(user_id)
        return member if member is not None and self.user_can_authenticate(member) else None

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)
