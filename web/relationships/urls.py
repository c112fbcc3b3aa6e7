from django.urls import path

from web.relationships import views

urlpatterns = [
    path("mynetwork/catch-up/", views.catch_up, name="catch_up"),
    path("mynetwork/catch-up/digest/", views.catch_up_digest, name="catch_up_digest"),
    path(
        "mynetwork/catch-up/<str:prompt_id>/<str:action>/",
        views.catch_up_answer,
        name="catch_up_answer",
    ),
    path("mynetwork/say-hello/<str:handle>/", views.say_hello, name="say_hello"),
    path(
        "mynetwork/connections/<str:handle>/panel/",
        views.connection_panel,
        name="connection_panel",
    ),
    path("in/<str:handle>/private/<str:what>/", views.private_edit, name="relationship_edit"),
    path("catch-up/unsubscribe/<str:token>/", views.unsubscribe, name="digest_unsubscribe"),
]
