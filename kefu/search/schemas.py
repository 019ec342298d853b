"""Request and response bodies of the search API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from kefu.core.api_types import InputSchema, text


class DictionaryEntryIn(InputSchema):
    terms: list[text(50)] = Field(  # type: ignore[valid-type]
        min_length=1, max_length=20, examples=[["Wi-Fi", "wifi", "无线网络"]],
        description="Spellings that mean the same; one spelling is a product term jieba keeps whole.",
    )  # fmt: skip
    note: text(200) = ""  # type: ignore[valid-type]


class DictionaryEntryOut(Schema):
    id: int
    terms: list[str]
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime


class DictionaryListOut(Schema):
    items: list[DictionaryEntryOut]


class MissOut(Schema):
    id: int
    area: str
    query: str
    language: str
    count: int
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime


class MissFiltersIn(Schema):
    area: text(40) | None = Field(None, description="`helpcenter`, `widget`, `console` …")  # type: ignore[valid-type]
    limit: int = Field(100, ge=1, le=500)


class MissListOut(Schema):
    items: list[MissOut]


class ReindexOut(Schema):
    queued: bool
