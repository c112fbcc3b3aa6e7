from django.urls import path

from web.profiles import views

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("in/<str:handle>/", views.profile, name="profile"),
    path("in/<str:handle>/edit/", views.edit, name="profile_edit"),
    path("in/<str:handle>/edit/avatar/", views.avatar, name="profile_avatar"),
    path("in/<str:handle>/edit/<str:section>/", views.section_add, name="profile_section_add"),
    path(
        "in/<str:handle>/edit/<str:section>/<int:pk>/delete/",
        views.section_remove,
        name="profile_section_remove",
    ),
]
