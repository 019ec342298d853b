"""Categories and sections: the shelves of a brand's knowledge base."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, ValidationFailed
from kefu.kb.inputs import CategoryInput, SectionInput
from kefu.kb.models import Article, Category, Section
from kefu.kb.services.common import articles_changed, language_of, position_of, require_manager, required_text
from kefu.org.models import Brand


def _clean_category(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    if "brand_id" in values:
        brand = Brand.objects.filter(pk=values["brand_id"]).first() if values["brand_id"] else None
        if brand is None:
            errors["brand_id"] = _("Unknown id %(id)s.") % {"id": values["brand_id"]}
        cleaned["brand"] = brand
    if "name" in values:
        cleaned["name"] = required_text(values["name"], "name", 150, errors)
    if "description" in values:
        cleaned["description"] = required_text(
            values["description"], "description", 2000, errors, required=False
        )
    if "language" in values:
        cleaned["language"] = language_of(values["language"], errors)
    if "position" in values:
        cleaned["position"] = position_of(values["position"], errors)
    if errors:
        raise ValidationFailed(_("The category is not valid."), fields=errors)
    return cleaned


def kb_category_create(*, actor: Actor, source: Source, data: CategoryInput) -> Category:
    require_manager(actor)
    cleaned = _clean_category(vars(data))
    with transaction.atomic():
        category = Category.objects.create(**cleaned)
        audit_record(actor=actor, source=source, action="kb.category_created", obj=category)
    return category


def kb_category_update(
    *, actor: Actor, source: Source, category: Category, changes: Mapping[str, Any]
) -> Category:
    """Change a category; moving it to another brand or language re-indexes its articles."""
    require_manager(actor)
    cleaned = _clean_category(changes)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(category, name, value)
        category.save()
        audit_record(actor=actor, source=source, action="kb.category_updated", obj=category,
                     changes={k: str(v) for k, v in changes.items()})  # fmt: skip
        articles_changed(Article.objects.filter(section__category=category).values_list("pk", flat=True))
    return category


def kb_category_delete(*, actor: Actor, source: Source, category: Category) -> None:
    """Only an empty category goes: articles are never deleted as a side effect."""
    require_manager(actor)
    if Section.objects.filter(category=category).exists():
        raise Conflict(_("Move or delete the category's sections first."))
    with transaction.atomic():
        audit_record(actor=actor, source=source, action="kb.category_deleted", obj=category)
        category.delete()


def _clean_section(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    if "category_id" in values:
        category = (
            Category.objects.filter(pk=values["category_id"]).first() if values["category_id"] else None
        )
        if category is None:
            errors["category_id"] = _("Unknown id %(id)s.") % {"id": values["category_id"]}
        cleaned["category"] = category
    if "name" in values:
        cleaned["name"] = required_text(values["name"], "name", 150, errors)
    if "description" in values:
        cleaned["description"] = required_text(
            values["description"], "description", 2000, errors, required=False
        )
    if "position" in values:
        cleaned["position"] = position_of(values["position"], errors)
    if errors:
        raise ValidationFailed(_("The section is not valid."), fields=errors)
    return cleaned


def kb_section_create(*, actor: Actor, source: Source, data: SectionInput) -> Section:
    require_manager(actor)
    cleaned = _clean_section(vars(data))
    with transaction.atomic():
        section = Section.objects.create(**cleaned)
        audit_record(actor=actor, source=source, action="kb.section_created", obj=section)
    return section


def kb_section_update(
    *, actor: Actor, source: Source, section: Section, changes: Mapping[str, Any]
) -> Section:
    require_manager(actor)
    cleaned = _clean_section(changes)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(section, name, value)
        section.save()
        audit_record(actor=actor, source=source, action="kb.section_updated", obj=section,
                     changes={k: str(v) for k, v in changes.items()})  # fmt: skip
        articles_changed(Article.objects.filter(section=section).values_list("pk", flat=True))
    return section


def kb_section_delete(*, actor: Actor, source: Source, section: Section) -> None:
    require_manager(actor)
    if Article.objects.filter(section=section).exists():
        raise Conflict(_("Move or delete the section's articles first."))
    with transaction.atomic():
        audit_record(actor=actor, source=source, action="kb.section_deleted", obj=section)
        section.delete()
