from django.urls import path, re_path

from web.pages import views

KIND = r"^(?P<kind>company|school)/(?P<slug>[-a-zA-Z0-9_]+)/"

urlpatterns = [
    path("pages/new/", views.new_page, name="page_new"),
    path("pages/suggest/", views.suggest, name="page_suggest"),
    re_path(KIND + r"$", views.page_home, name="page_home"),
    re_path(KIND + r"about/$", views.page_about, name="page_about"),
    re_path(KIND + r"posts/$", views.page_posts, name="page_posts"),
    re_path(KIND + r"people/$", views.page_people, name="page_people"),
    re_path(KIND + r"alumni/$", views.page_alumni, name="page_alumni"),
    re_path(KIND + r"follow/$", views.follow, name="page_follow"),
    re_path(KIND + r"unfollow/$", views.unfollow, name="page_unfollow"),
    re_path(KIND + r"post/$", views.post_as_page, name="page_post"),
    re_path(KIND + r"edit/$", views.edit, name="page_edit"),
    re_path(KIND + r"admin/$", views.admin, name="page_admin"),
    re_path(KIND + r"admins/add/$", views.add_admin, name="page_admin_add"),
    re_path(
        KIND + r"admins/(?P<member_id>[0-9]+)/remove/$",
        views.remove_admin,
        name="page_admin_remove",
    ),
    re_path(KIND + r"claim/$", views.claim, name="page_claim"),
]
