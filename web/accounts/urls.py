from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from web.accounts import views

urlpatterns = [
    path("join/", views.signup, name="signup"),
    path("login/", views.signin, name="login"),
    path("logout/", views.signout, name="logout"),
    path("confirm/resend/", views.resend_confirmation, name="resend_confirmation"),
    path("confirm/<str:token>/", views.confirm, name="confirm_email"),
    path("settings/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("settings/delete/", views.delete_account, name="delete_account"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(
            template_name="web/accounts/password_reset.html",
            email_template_name="web/accounts/password_reset_email.txt",
            subject_template_name="web/accounts/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="web/accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/accounts/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
