from django.urls import path

from web.messaging import views

urlpatterns = [
    path("messaging/", views.inbox, name="messaging"),
    path("messaging/requests/", views.requests, name="messaging_requests"),
    path("messaging/badge/", views.badge, name="messaging_badge"),
    path("messaging/stream/", views.stream, name="messaging_stream"),
    path("messaging/new/", views.new, name="messaging_new"),
    path("messaging/new-group/", views.new_group, name="messaging_new_group"),
    path("messaging/settings/", views.messaging_settings, name="messaging_settings"),
    path(
        "messaging/attachments/<int:attachment_id>/<str:size>/",
        views.attachment,
        name="messaging_attachment",
    ),
    path("messaging/new/<str:handle>/", views.compose, name="messaging_compose"),
    path("messaging/<int:conversation_id>/", views.conversation, name="messaging_thread"),
    path("messaging/<int:conversation_id>/send/", views.send, name="messaging_send"),
    path("messaging/<int:conversation_id>/delete/", views.delete, name="messaging_delete"),
    path("messaging/<int:conversation_id>/members/", views.add_members, name="messaging_add"),
    path(
        "messaging/<int:conversation_id>/members/<int:member_id>/remove/",
        views.remove_member,
        name="messaging_remove",
    ),
    path("messaging/<int:conversation_id>/leave/", views.leave, name="messaging_leave"),
    path(
        "messaging/requests/<int:request_id>/<str:answer>/",
        views.answer_request,
        name="messaging_answer",
    ),
]
