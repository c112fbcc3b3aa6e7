from django.urls import path

from web.network import views

urlpatterns = [
    path("mynetwork/", views.mynetwork, name="mynetwork"),
    path("mynetwork/invitations/<str:direction>/", views.my_invitations, name="my_invitations"),
    path("mynetwork/connections/", views.my_connections, name="my_connections"),
    path(
        "mynetwork/followers/",
        views.my_follows,
        {"direction": "followers"},
        name="my_followers",
    ),
    path(
        "mynetwork/following/",
        views.my_follows,
        {"direction": "following"},
        name="my_following",
    ),
    path(
        "mynetwork/invitations/<int:invitation_id>/<str:action>/",
        views.invitation_action,
        name="invitation_action",
    ),
    path("settings/blocks/", views.blocks, name="network_blocks"),
    path("in/<str:handle>/connect/", views.invite_page, name="network_invite"),
    path("in/<str:handle>/network/<str:action>/", views.profile_action, name="network_action"),
    path("in/<str:handle>/connections/", views.member_connections, name="member_connections"),
    path("in/<str:handle>/mutual/", views.mutual_connections, name="mutual_connections"),
    path("in/<str:handle>/report/", views.report, name="network_report"),
]
