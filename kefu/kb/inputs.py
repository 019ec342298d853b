"""Framework-free inputs of the knowledge-base services."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CategoryInput:
    brand_id: int | None
    name: str
    description: str = ""
    language: str = "zh-hans"
    position: int = 0


@dataclass
class SectionInput:
    category_id: int | None
    name: str
    description: str = ""
    position: int = 0


@dataclass
class ArticleInput:
    section_id: int | None
    title: str
    body: str = ""
    summary: str = ""
    meta_description: str = ""
    slug: str = ""
    tags: list[str] = field(default_factory=list)
    status: str = "draft"
    visibility: str = "public"
    language: str = "zh-hans"
    translation_of: int | None = None
    related_ids: list[int] = field(default_factory=list)
