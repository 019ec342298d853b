"""What the search app stores besides the full-text tables (which its migrations create per database)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """A searchable document of some other app (a KB article …), as that app last handed it to us.

    The row keeps the plain text for snippets and suggestions and the scope for filtering; the
    vendor's full-text table (``search_document_fts`` on SQLite, ``search_document_vector`` on
    PostgreSQL) holds its terms under the same id.
    """

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    language = models.CharField(max_length=16, blank=True)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    tags = models.JSONField(default=list)
    scope = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        db_table = "search_document"
        verbose_name = _("search document")

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
