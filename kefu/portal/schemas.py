"""JSON shapes of the public help-center API and of brands."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from kefu.core.api_types import Id, InputSchema, JsonValue, text


class SearchIn(Schema):
    q: text(200) = ""  # type: ignore[valid-type]
    limit: int = Field(10, ge=1, le=50)
    language: Literal["zh-hans", "en"] | None = None


class SearchItem(Schema):
    type: str
    id: int
    title: str
    url: str
    snippet: str


class SearchOut(Schema):
    items: list[SearchItem]


class PublicArticleOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    language: str
    url: str
    section_id: int
    tags: list[str]
    updated_at: dt.datetime


class ProofOut(Schema):
    challenge: str
    bits: int


class ProofIn(InputSchema):
    challenge: text(500)  # type: ignore[valid-type]
    nonce: text(32)  # type: ignore[valid-type]


class PublicTicketIn(InputSchema):
    name: text(200) = ""  # type: ignore[valid-type]
    email: text(254, min_length=3) = Field(examples=["wang.fang@example.cn"])  # type: ignore[valid-type]
    subject: text(255, min_length=1) = Field(examples=["无法登录"])  # type: ignore[valid-type]
    message: text(100_000, min_length=1) = Field(examples=["输入密码后一直提示错误。"])  # type: ignore[valid-type]
    department_id: Id | None = None
    custom_fields: dict[str, JsonValue] = Field(default_factory=dict)
    cc: list[text(254)] = Field(default_factory=list, max_length=20)  # type: ignore[valid-type]
    channel: Literal["portal", "widget"] = "portal"
    language: Literal["zh-hans", "en"] | None = None
    website: text(200) = Field("", description="Leave empty (a trap for robots).")  # type: ignore[valid-type]
    proof: ProofIn | None = None


class PublicTicketOut(Schema):
    id: int
    number: int
    subject: str
    channel: str


class BrandOut(Schema):
    id: int
    name: str
    slug: str
    default_language: str
    department_ids: list[int]
    allowed_origins: list[str]


class BrandIn(InputSchema):
    name: text(100, min_length=1)  # type: ignore[valid-type]
    slug: text(64, min_length=1)  # type: ignore[valid-type]
    default_language: Literal["zh-hans", "en"] = "zh-hans"
    department_ids: list[Id] = Field(default_factory=list, max_length=100)
    allowed_origins: list[text(200)] = Field(default_factory=list, max_length=20)  # type: ignore[valid-type]


class BrandPatch(InputSchema):
    name: text(100, min_length=1) | None = None  # type: ignore[valid-type]
    slug: text(64, min_length=1) | None = None  # type: ignore[valid-type]
    default_language: Literal["zh-hans", "en"] | None = None
    department_ids: list[Id] | None = Field(None, max_length=100)
    allowed_origins: list[text(200)] | None = Field(None, max_length=20)  # type: ignore[valid-type]


def brand_out(brand: Any) -> dict[str, Any]:
    return {
        "id": brand.pk,
        "name": brand.name,
        "slug": brand.slug,
        "default_language": brand.default_language,
        "department_ids": sorted(d.pk for d in brand.departments.all()),
        "allowed_origins": list(brand.allowed_origins),
    }
