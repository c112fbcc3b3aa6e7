from django.urls import path

from web.search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/typeahead/", views.typeahead, name="search_typeahead"),
    path("mynetwork/suggestions/", views.suggestions, name="suggestions"),
    path(
        "mynetwork/suggestions/<int:member_id>/dismiss/",
        views.dismiss_suggestion,
        name="dismiss_suggestion",
    ),
]
