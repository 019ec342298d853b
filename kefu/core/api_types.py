"""Field types shared by the API schemas of every app.

They stop at the edge what no database accepts (NUL characters, lone surrogates, ids beyond 64 bits,
times that fall outside the years 1–9999 once converted to UTC),
so that such input is a 422 naming the field instead of a database error deep in a service.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ConfigDict, Field, model_validator

from kefu.core.ids import MAX_ID


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Must not contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(_("Must be valid Unicode.")) from exc
    return value


def _storable_moment(value: dt.datetime) -> dt.datetime:
    """In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 (and pydantic) allow."""
    try:
        utc = (value if value.tzinfo else timezone.make_aware(value)).astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError(_("Must lie between the years 1 and 9999 in UTC.")) from exc
    return utc if value.tzinfo else value  # a naive time stays naive: the service decides what it means


def _storable_json(value: Any) -> Any:
    """Every string inside a free-form JSON value (keys too) must be storable text."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            _storable(item)
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return value


Text = Annotated[str, AfterValidator(_storable)]
JsonValue = Annotated[Any, AfterValidator(_storable_json)]
Moment = Annotated[dt.datetime, AfterValidator(_storable_moment)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def text(max_length: int, *, min_length: int = 0) -> Any:
    return Annotated[Text, Field(min_length=min_length, max_length=max_length)]


class InputSchema(Schema):
    """A request body, which must be a JSON object, and may name only fields it knows.

    An unknown field is a 422 naming it (``{"sla": "gold"}`` must not answer "nothing to change"): a
    typo in a field name would otherwise be silently ignored. Every app's request bodies derive from
    this class, so the rule holds for the whole API.

    Ninja's ``Schema`` also reads attributes off any other value (so that it can serialise model
    instances); for input that would let a JSON string, list or ``null`` pass as an object whose fields
    all take their defaults, and a request that says nothing would still act.
    """

    model_config = ConfigDict(from_attributes=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        # Ninja's own (outer) validator has already wrapped the input in a DjangoGetter.
        raw = value._obj if isinstance(value, DjangoGetter) else value
        if not isinstance(raw, dict):
            raise ValueError(_("Send a JSON object."))
        return value


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
