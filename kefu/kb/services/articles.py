"""Articles: writing, reviewing, publishing, versions and restore, translations, attachments.

Every save that changes what readers see (title, summary, body, tags) records a numbered version, so
an author can compare any two and restore an earlier text (which becomes the newest version). Each
write tells the search index through the outbox (``kb.article_changed``); the index itself decides,
from the article's status and visibility, whether the article is findable and by whom.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kefu.core import events
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.html import html_to_text, normalise_body
from kefu.core.tags import clean_tag_names
from kefu.kb.inputs import ArticleInput
from kefu.kb.models import Article, ArticleAttachment, ArticleVersion, Section
from kefu.kb.services.common import (
    articles_changed,
    language_of,
    may_publish,
    require_writer,
    required_text,
)
from kefu.tickets.selectors import thread_visible

MAX_BODY = 200_000
MAX_TAGS = 20
_STATUSES = {choice.value for choice in Article.Status}
_VISIBILITIES = {choice.value for choice in Article.Visibility}
_VERSIONED = ("title", "summary", "body", "tags")


def _choice(value: object, allowed: set[str], field: str, errors: dict[str, str]) -> str:
    if value not in allowed:
        errors[field] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(sorted(allowed))}
        return ""
    return str(value)


def _translation_target(value: object, article: Article | None, language: str, errors: dict[str, str]) -> Any:
    """The original an article translates: another article, in another language, not itself a translation."""
    if value is None:
        return None
    target = Article.objects.filter(pk=value).first() if isinstance(value, int) else None
    if target is None or (article is not None and target.pk == article.pk):
        errors["translation_of"] = _("Unknown id %(id)s.") % {"id": value}
        return None
    if target.translation_of_id is not None:
        errors["translation_of"] = _("Link to the original article, not to another translation.")
    elif language and target.language == language:
        errors["translation_of"] = _("The original must be in the other language.")
    else:
        taken = Article.objects.filter(translation_of=target, language=language)
        if article is not None:
            taken = taken.exclude(pk=article.pk)
        if taken.exists():
            errors["translation_of"] = _("That article already has a translation in this language.")
    return target


def _related(value: object, article: Article | None, errors: dict[str, str]) -> list[Article]:
    if not isinstance(value, list) or not all(isinstance(item, int) for item in value) or len(value) > 20:
        errors["related_ids"] = _("Give at most 20 article ids.")
        return []
    found = list(Article.objects.filter(pk__in=value).exclude(pk=article.pk if article else 0))
    missing = sorted(set(value) - {item.pk for item in found} - ({article.pk} if article else set()))
    if missing or (article is not None and article.pk in value):
        errors["related_ids"] = _("Unknown id %(id)s.") % {
            "id": (missing or [article.pk if article else 0])[0]
        }
    return found


def _clean(values: Mapping[str, Any], article: Article | None) -> dict[str, Any]:
    """Check every given field and name every bad one; ``article`` is None for a new article."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    if "section_id" in values:
        section = Section.objects.filter(pk=values["section_id"]).first() if values["section_id"] else None
        if section is None:
            errors["section_id"] = _("Unknown id %(id)s.") % {"id": values["section_id"]}
        cleaned["section"] = section
    if "title" in values:
        cleaned["title"] = required_text(values["title"], "title", 200, errors)
    for name, limit in (("summary", 500), ("meta_description", 300)):
        if name in values:
            cleaned[name] = required_text(values[name], name, limit, errors, required=False)
    if "slug" in values:
        slug = required_text(values["slug"], "slug", 120, errors, required=False)
        cleaned["slug"] = slugify(slug, allow_unicode=True)[:120]
        if slug and not cleaned["slug"]:
            errors["slug"] = _("Use letters, digits and hyphens.")
    if "body" in values:
        if not isinstance(values["body"], str) or len(values["body"]) > MAX_BODY:
            errors["body"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_BODY}
        else:
            cleaned["body"], cleaned["body_text"] = (
                normalise_body(values["body"]) if values["body"].strip() else ("", "")
            )
    if "tags" in values:
        try:
            tags = clean_tag_names(values["tags"] if isinstance(values["tags"], list) else [values["tags"]])
        except ValidationFailed as error:
            errors.update(error.fields)
        else:
            if len(tags) > MAX_TAGS:
                errors["tags"] = _("Give at most %(limit)d tags.") % {"limit": MAX_TAGS}
            cleaned["tags"] = tags
    if "status" in values:
        cleaned["status"] = _choice(values["status"], _STATUSES, "status", errors)
    if "visibility" in values:
        cleaned["visibility"] = _choice(values["visibility"], _VISIBILITIES, "visibility", errors)
    if "language" in values:
        cleaned["language"] = language_of(values["language"], errors)
    if "translation_of" in values:
        language = cleaned.get("language") or (article.language if article else "zh-hans")
        cleaned["translation_of"] = _translation_target(values["translation_of"], article, language, errors)
    if "related_ids" in values:
        cleaned["related"] = _related(values["related_ids"], article, errors)
    if errors:
        raise ValidationFailed(_("The article is not valid."), fields=errors)
    return cleaned


def _check_publishing(actor: Actor, article: Article | None, cleaned: Mapping[str, Any]) -> None:
    """Writers draft and submit for review; publishing, or changing what is published, is for managers."""
    if may_publish(actor):
        return
    if cleaned.get("status") == Article.Status.PUBLISHED:
        raise PermissionDenied(_("Only administrators may publish articles."))
    if article is not None and article.status == Article.Status.PUBLISHED:
        raise PermissionDenied(_("Only administrators may change a published article."))


def _record_version(article: Article, actor: Actor) -> None:
    ArticleVersion.objects.create(
        article=article,
        number=article.version,
        title=article.title,
        summary=article.summary,
        body=article.body,
        tags=article.tags,
        created_by=actor.user if actor.is_agent else None,
    )


def _publish_time(article: Article) -> None:
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()


def kb_article_create(*, actor: Actor, source: Source, data: ArticleInput) -> Article:
    require_writer(actor)
    values = vars(data).copy()
    if not values["slug"]:
        values.pop("slug")
    cleaned = _clean(values, None)
    _check_publishing(actor, None, cleaned)
    related = cleaned.pop("related", [])
    cleaned.setdefault("slug", "")
    if not cleaned["slug"]:
        cleaned["slug"] = slugify(cleaned["title"], allow_unicode=True)[:120]
    with transaction.atomic():
        article = Article(**cleaned, author=actor.user if actor.is_agent else None)
        _publish_time(article)
        article.save()
        article.related.set(related)
        _record_version(article, actor)
        audit_record(actor=actor, source=source, action="kb.article_created", obj=article,
                     changes={"status": article.status, "visibility": article.visibility})  # fmt: skip
        articles_changed([article.pk])
    return article


def kb_article_update(
    *, actor: Actor, source: Source, article: Article, changes: Mapping[str, Any]
) -> Article:
    """Change some fields; a change to the text makes a new version."""
    require_writer(actor)
    cleaned = _clean(changes, article)
    _check_publishing(actor, article, cleaned)
    related = cleaned.pop("related", None)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        before = {name: getattr(article, name) for name in (*_VERSIONED, "status", "visibility")}
        for name, value in cleaned.items():
            setattr(article, name, value)
        if cleaned.get("status") and cleaned["status"] != Article.Status.PUBLISHED:
            article.published_at = None
        _publish_time(article)
        text_changed = any(before[name] != getattr(article, name) for name in _VERSIONED)
        if text_changed:
            article.version += 1
        article.save()
        if related is not None:
            article.related.set(related)
        if text_changed:
            _record_version(article, actor)
        audit_record(
            actor=actor,
            source=source,
            action="kb.article_updated",
            obj=article,
            changes={
                name: [str(before[name]), str(getattr(article, name))]
                for name in ("status", "visibility")
                if before[name] != getattr(article, name)
            }
            | ({"version": article.version} if text_changed else {}),
        )
        articles_changed([article.pk])
    return article


def kb_article_set_status(*, actor: Actor, source: Source, article: Article, status: str) -> Article:
    """Submit for review, publish or take back to draft."""
    return kb_article_update(actor=actor, source=source, article=article, changes={"status": status})


def kb_article_restore(*, actor: Actor, source: Source, article: Article, number: int) -> Article:
    """Bring back the text of version ``number``; it is saved as the newest version."""
    version = ArticleVersion.objects.filter(article=article, number=number).first()
    if version is None:
        raise NotFound(_("No such version."))
    return kb_article_update(
        actor=actor,
        source=source,
        article=article,
        changes={
            "title": version.title,
            "summary": version.summary,
            "body": version.body,
            "tags": version.tags,
        },
    )


def kb_article_delete(*, actor: Actor, source: Source, article: Article) -> None:
    require_writer(actor)
    _check_publishing(actor, article, {})
    with transaction.atomic():
        audit_record(actor=actor, source=source, action="kb.article_deleted", obj=article,
                     changes={"title": article.title})  # fmt: skip
        events.publish(EventType.KB_ARTICLE_DELETED, article_ids=[article.pk])
        Article.objects.filter(translation_of=article).update(translation_of=None)
        article.delete()


def kb_article_from_reply(
    *, actor: Actor, source: Source, thread_id: int, section_id: int | None = None
) -> Article:
    """Turn an agent's good reply into a draft article: the ticket's subject as title, the reply as body."""
    require_writer(actor)
    thread = thread_visible(actor.user, thread_id)
    if thread is None:
        raise NotFound(_("No such message."))
    if section_id is None:
        section = (
            Section.objects.filter(category__brand_id=thread.ticket.brand_id).first()
            if thread.ticket.brand_id
            else None
        ) or Section.objects.first()
        if section is None:
            raise ValidationFailed(
                _("Create a knowledge-base section first."),
                fields={"section_id": _("This field is required.")},
            )
        section_id = section.pk
    language = thread.ticket.language if thread.ticket.language in ("zh-hans", "en") else "zh-hans"
    return kb_article_create(
        actor=actor,
        source=source,
        data=ArticleInput(
            section_id=section_id,
            title=thread.ticket.subject[:200],
            body=thread.body_html or thread.body_text,
            summary=html_to_text(thread.body_html)[:200] if thread.body_html else thread.body_text[:200],
            language=language,
        ),
    )


def kb_attachment_add(
    *, actor: Actor, source: Source, article: Article, filename: str, content: IO[bytes], size: int
) -> ArticleAttachment:
    """Attach a file (an image the body shows, a manual to download) to an article."""
    require_writer(actor)
    _check_publishing(actor, article, {})
    name = (filename or "file").replace("/", "_").replace("\\", "_").strip()[:255] or "file"
    if size > settings.KEFU_MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(_("The file is too large."), fields={"file": _("The file is too large.")})
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type in ("text/html", "image/svg+xml", "application/xhtml+xml"):
        content_type = "application/octet-stream"  # never served as a page that runs scripts
    with transaction.atomic():
        attachment = ArticleAttachment(
            article=article, filename=name, size=size, content_type=content_type,
            uploaded_by=actor.user if actor.is_agent else None,
        )  # fmt: skip
        attachment.file.save(name, File(content), save=True)
        audit_record(actor=actor, source=source, action="kb.attachment_added", obj=article,
                     changes={"attachment_id": attachment.pk, "filename": name})  # fmt: skip
    return attachment


def kb_article_viewed(*, article_id: int) -> None:
    """Count a reader's visit (agents previewing are not counted by the caller)."""
    Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)


def kb_article_vote(
    *, article: Article, helpful: bool, feedback: str = "", contact_id: int | None = None
) -> None:
    """A reader's "was this helpful?"; the feedback is shown to the article's author in the console."""
    text = feedback.strip()[:2000] if isinstance(feedback, str) else ""
    with transaction.atomic():
        article.votes.create(helpful=helpful, feedback=text, contact_id=contact_id)
        counter = "helpful_yes" if helpful else "helpful_no"
        Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
