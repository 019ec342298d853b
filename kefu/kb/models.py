"""The knowledge base: per brand, categories hold sections, sections hold articles.

An article is written in one language (zh-Hans or English); its version in the other language is a
separate article linked by ``translation_of``. Only published articles reach the help center, the
widget and the public API, and each only to the audience its ``visibility`` names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class Category(models.Model):
    """A top-level group of a brand's help center (账户与登录, Billing …), in one language."""

    brand = models.ForeignKey("org.Brand", on_delete=models.CASCADE, related_name="kb_categories")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=16, choices=Language.choices, default=Language.ZH_HANS
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge base category")
        verbose_name_plural = _("knowledge base categories")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A group of articles inside a category."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge base section")
        verbose_name_plural = _("knowledge base sections")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """A help article. ``body`` is sanitised HTML; ``body_text`` its plain text for search and snippets."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        CUSTOMERS = "customers", _("Signed-in customers")
        AGENTS = "agents", _("Agents only")

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    meta_description = models.CharField(_("meta description"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    body_text = models.TextField(blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    language = models.CharField(
        _("language"), max_length=16, choices=Language.choices, default=Language.ZH_HANS
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("related articles"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="kb_articles"
    )
    version = models.PositiveIntegerField(default=1)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    helpful_yes = models.PositiveIntegerField(default=0)
    helpful_no = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["section", "-published_at", "id"]
        indexes = [
            models.Index(fields=["status", "visibility", "language"]),
            # The help center's popular articles: walked in view-count order, stopping after a few.
            models.Index(fields=["language", "status", "-view_count"], name="kb_article_popular"),
            # Counting and listing a section's readable articles without reading their bodies.
            models.Index(
                fields=["section", "language", "status", "visibility"], name="kb_article_section_listing"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    """What an article said after each saved edit; restoring one makes a new version with its text."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="kb_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class ArticleAttachment(models.Model):
    """A file or image of an article, served to whoever may read the article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="kb/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article attachment")
        verbose_name_plural = _("article attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class ArticleVote(models.Model):
    """A reader's "was this helpful?" answer, with optional feedback the article's author reads."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    helpful = models.BooleanField()
    feedback = models.TextField(_("feedback"), blank=True)
    contact_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article vote")
        verbose_name_plural = _("article votes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.article_id}: {'+' if self.helpful else '-'}"
