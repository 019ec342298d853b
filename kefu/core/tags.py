"""Turning tag names into ``Tag`` rows: trimmed, case-folded for comparison, created on first use."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed
from kefu.core.models import Tag

MAX_TAG_LENGTH = 64


def clean_tag_names(names: Iterable[str], *, field: str = "tags") -> list[str]:
    cleaned: dict[str, str] = {}
    for raw in names:
        if not isinstance(raw, str):
            raise ValidationFailed(_("Tags must be text."), fields={field: _("Tags must be text.")})
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationFailed(
                _("A tag is too long."),
                fields={field: _("Enter at most %(limit)d characters.") % {"limit": MAX_TAG_LENGTH}},
            )
        cleaned.setdefault(name.casefold(), name)
    return list(cleaned.values())


def tags_get_or_create(names: Iterable[str]) -> list[Tag]:
    """Return a ``Tag`` per name, matching existing tags case-insensitively."""
    wanted = clean_tag_names(names)
    tags = []
    for name in wanted:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name)
            except IntegrityError:
                tag = Tag.objects.get(name__iexact=name)
        tags.append(tag)
    return tags
