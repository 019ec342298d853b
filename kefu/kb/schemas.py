"""The JSON shapes of the knowledge base API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, text

Language = Literal["zh-hans", "en"]
Status = Literal["draft", "review", "published"]
Visibility = Literal["public", "customers", "agents"]


class CategoryIn(InputSchema):
    brand_id: Id
    name: text(150, min_length=1) = Field(examples=["账户与登录"])  # type: ignore[valid-type]
    description: text(2000) = ""  # type: ignore[valid-type]
    language: Language = "zh-hans"
    position: int = Field(0, ge=0, le=100_000)


class CategoryPatch(InputSchema):
    brand_id: Id | None = None
    name: text(150, min_length=1) | None = None  # type: ignore[valid-type]
    description: text(2000) | None = None  # type: ignore[valid-type]
    language: Language | None = None
    position: int | None = Field(None, ge=0, le=100_000)


class CategoryOut(Schema):
    id: int
    brand_id: int
    name: str
    description: str
    language: str
    position: int


class CategoryListOut(Schema):
    items: list[CategoryOut]
    next_cursor: str | None


class SectionIn(InputSchema):
    category_id: Id
    name: text(150, min_length=1) = Field(examples=["修改密码"])  # type: ignore[valid-type]
    description: text(2000) = ""  # type: ignore[valid-type]
    position: int = Field(0, ge=0, le=100_000)


class SectionPatch(InputSchema):
    category_id: Id | None = None
    name: text(150, min_length=1) | None = None  # type: ignore[valid-type]
    description: text(2000) | None = None  # type: ignore[valid-type]
    position: int | None = Field(None, ge=0, le=100_000)


class SectionOut(Schema):
    id: int
    category_id: int
    name: str
    description: str
    position: int


class SectionListOut(Schema):
    items: list[SectionOut]
    next_cursor: str | None


class ArticleIn(InputSchema):
    section_id: Id
    title: text(200, min_length=1) = Field(examples=["如何重置密码"])  # type: ignore[valid-type]
    body: text(200_000) = ""  # type: ignore[valid-type]
    summary: text(500) = ""  # type: ignore[valid-type]
    meta_description: text(300) = ""  # type: ignore[valid-type]
    slug: text(120) = ""  # type: ignore[valid-type]
    status: Status = "draft"
    visibility: Visibility = "public"
    language: Language = "zh-hans"
    tags: list[text(64)] = Field(default_factory=list, max_length=20)  # type: ignore[valid-type]
    translation_of: Id | None = None
    related_ids: list[Id] = Field(default_factory=list, max_length=20)


class ArticlePatch(InputSchema):
    section_id: Id | None = None
    title: text(200, min_length=1) | None = None  # type: ignore[valid-type]
    body: text(200_000) | None = None  # type: ignore[valid-type]
    summary: text(500) | None = None  # type: ignore[valid-type]
    meta_description: text(300) | None = None  # type: ignore[valid-type]
    slug: text(120) | None = None  # type: ignore[valid-type]
    status: Status | None = None
    visibility: Visibility | None = None
    language: Language | None = None
    tags: list[text(64)] | None = Field(None, max_length=20)  # type: ignore[valid-type]
    translation_of: Id | None = None
    related_ids: list[Id] | None = Field(None, max_length=20)


class ArticleOut(Schema):
    id: int
    section_id: int
    title: str
    body: str
    summary: str
    meta_description: str
    slug: str
    status: str
    visibility: str
    language: str
    tags: list[str]
    translation_of: int | None
    related_ids: list[int]
    author_id: int | None
    version: int
    view_count: int
    helpful_yes: int
    helpful_no: int
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None


class ArticleListOut(Schema):
    items: list[ArticleOut]
    next_cursor: str | None


class ListIn(Schema):
    limit: int = Field(25, ge=1, le=100)
    cursor: str | None = None


class ArticleListIn(ListIn):
    section_id: Id | None = None
    status: Status | None = None
    language: Language | None = None
    q: text(200) | None = None  # type: ignore[valid-type]
