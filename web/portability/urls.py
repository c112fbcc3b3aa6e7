from django.urls import path

from web.portability import views

urlpatterns = [
    path("settings/data/", views.data_page, name="portability"),
    path("settings/data/imports/", views.upload, name="import_upload"),
    path("settings/data/imports/<int:import_id>/", views.import_page, name="import_detail"),
    path(
        "settings/data/imports/<int:import_id>/progress/",
        views.import_progress,
        name="import_progress",
    ),
    path("settings/data/imports/<int:import_id>/apply/", views.apply, name="import_apply"),
    path("settings/data/imports/<int:import_id>/invite/", views.invite, name="import_invite"),
    path("settings/data/imports/<int:import_id>/join/", views.invite_to_join, name="import_join"),
    path("settings/data/linkedin/", views.linkedin_address, name="linkedin_address"),
    path("settings/data/exports/", views.request_export, name="export_request"),
    path(
        "settings/data/exports/<int:export_id>/progress/",
        views.export_progress,
        name="export_progress",
    ),
    path(
        "settings/data/exports/<int:export_id>/download/",
        views.download_export,
        name="export_download",
    ),
    path("settings/data/connections.vcf", views.connections_vcard, name="connections_vcard"),
    path("settings/data/mastodon/<str:name>.csv", views.mastodon_csv, name="mastodon_csv"),
]
