from django.urls import path

from web.feed import views

urlpatterns = [
    path("", views.home_page, name="home"),
    path("posts/new/", views.compose, name="compose"),
    path("posts/<int:post_id>/", views.post_detail, name="post_detail"),
    path("posts/<int:post_id>/react/", views.react, name="post_react"),
    path("posts/<int:post_id>/unreact/", views.unreact, name="post_unreact"),
    path("posts/<int:post_id>/comment/", views.comment, name="post_comment"),
    path("posts/<int:post_id>/repost/", views.repost, name="post_repost"),
    path("posts/<int:post_id>/unrepost/", views.undo_repost, name="post_unrepost"),
    path("posts/<int:post_id>/edit/", views.edit, name="post_edit"),
    path("posts/<int:post_id>/delete/", views.delete, name="post_delete"),
    path("posts/<int:post_id>/reactions/", views.reactors, name="post_reactors"),
    path("feed/", views.home_feed, name="feed_more"),
    path("feed/mentions/", views.mention_suggestions, name="mention_suggestions"),
    path("tags/<str:name>/", views.tag_page, name="tag_page"),
    path("tags/<str:name>/follow/", views.tag_follow, name="tag_follow"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/badge/", views.notifications_badge, name="notifications_badge"),
    path("in/<str:handle>/activity/", views.activity, name="profile_activity"),
]
