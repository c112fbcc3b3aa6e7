from django.urls import path

from web.tokens import views

urlpatterns = [
    path("settings/tokens/", views.tokens_page, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.revoke, name="token_revoke"),
    path("settings/tokens/apps/<int:application_id>/revoke/", views.revoke_app, name="app_revoke"),
]
