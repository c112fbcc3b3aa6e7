"""The admin sign-in says why a throttled attempt was refused, and until when (U3)."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from accounts import throttle


class StaffSignInForm(AdminAuthenticationForm):
    def get_invalid_login_error(self):
        refusal = throttle.take_refusal(self.request)
        if refusal is not None:
            return ValidationError(refusal.message, code="throttled")
        return super().get_invalid_login_error()


admin.site.login_form = StaffSignInForm
