"""Console pages of the search app."""

from django.urls import path

from kefu.search import views
from kefu.search.views import settings

app_name = "search"

urlpatterns = [
    path("", views.results, name="results"),
    path("dictionary/", settings.dictionary, name="dictionary"),
    path("dictionary/<int:entry_id>/", settings.dictionary_edit, name="dictionary-edit"),
    path("dictionary/<int:entry_id>/delete/", settings.dictionary_delete, name="dictionary-delete"),
    path("dictionary/reindex/", settings.reindex, name="reindex"),
    path("misses/", settings.misses, name="misses"),
]
