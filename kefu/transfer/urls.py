"""Console pages of imports and exports, mounted under ``transfer/``."""

from django.urls import path

from kefu.transfer import views

app_name = "transfer"

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:job_id>/", views.import_detail, name="import"),
    path("imports/<int:job_id>/again/", views.import_for_real, name="import-again"),
    path("imports/<int:job_id>/errors.csv", views.import_errors, name="import-errors"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:job_id>/download/", views.export_download, name="export-download"),
]
