"""Canned replies: snippets an agent inserts into the reply editor instead of typing them again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CannedReply(models.Model):
    """A named text in one language, shared with a department (or every one) or kept by its owner.

    ``shortcut`` is what an agent types after ``#`` in the reply editor to find it; ``usage_count`` counts
    the times it was inserted, so the most useful snippets come first.
    """

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Simplified Chinese")
        EN = "en", _("English")

    title = models.CharField(_("title"), max_length=150)
    shortcut = models.SlugField(_("shortcut"), max_length=50, allow_unicode=True, blank=True)
    body = models.TextField(_("text"))
    language = models.CharField(
        _("language"), max_length=16, choices=Language.choices, default=Language.ZH_HANS
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="canned_replies",
        verbose_name=_("department"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="canned_replies",
        verbose_name=_("owner"),
        help_text=_("Set for a personal reply; empty for a shared one."),
    )
    usage_count = models.PositiveIntegerField(_("used"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["-usage_count", "title", "id"]

    def __str__(self) -> str:
        return self.title
