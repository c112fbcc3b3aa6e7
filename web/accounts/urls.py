from django.urls import path

from web.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
]
