"""Field types shared by the API schemas of every app.

They stop at the edge what no database accepts (NUL characters, lone surrogates, ids beyond 64 bits,
times that fall outside the years 1–9999 once converted to UTC),
so that such input is a 422 naming the field instead of a database error deep in a service.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, Field

MAX_ID = 2**63 - 1


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode") from exc
    return value


def _storable_moment(value: dt.datetime) -> dt.datetime:
    try:
        (value if value.tzinfo else timezone.make_aware(value)).astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("must lie between the years 1 and 9999 in UTC") from exc
    return value


Text = Annotated[str, AfterValidator(_storable)]
Moment = Annotated[dt.datetime, AfterValidator(_storable_moment)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def text(max_length: int, *, min_length: int = 0) -> Any:
    return Annotated[Text, Field(min_length=min_length, max_length=max_length)]


class ErrorBody(Schema):
    code: str = Field(examples=["validation_failed"])
    message: str = Field(examples=["The ticket is not valid."])
    fields: dict[str, str] = Field(examples=[{"subject": "This field is required."}])


class ErrorOut(Schema):
    error: ErrorBody


ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
}
