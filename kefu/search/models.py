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


class DictionaryEntry(models.Model):
    """A product term or a group of synonyms the administrator taught the search.

    Every spelling is a word jieba keeps whole (a product name is never cut in two), and a query for one
    spelling also searches the others ("Wi-Fi", "wifi" and "无线网络" in one entry meet). An entry with one
    spelling is a plain product term.
    """

    terms = models.JSONField(_("spellings"), default=list)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dictionary entry")
        verbose_name_plural = _("dictionary entries")
        ordering = ["id"]

    def __str__(self) -> str:
        return " = ".join(self.terms)


class SearchMiss(models.Model):
    """A query that found nothing, counted per place and spelling: what the KB owners should write next."""

    area = models.CharField(_("where"), max_length=40)
    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=16, blank=True)
    count = models.PositiveIntegerField(_("times"), default=1)
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [
            models.UniqueConstraint(fields=["area", "query", "language"], name="search_miss_unique")
        ]
        indexes = [models.Index(fields=["-last_seen_at"], name="search_miss_recent")]

    def __str__(self) -> str:
        return self.query


# Where a search that found nothing was made (``SearchMiss.area``).
MISS_AREAS = {
    "helpcenter": _("Help center"),
    "widget": _("Widget"),
    "console": _("Console"),
}
