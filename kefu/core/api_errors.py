"""API errors in the client's language and always as JSON: the one place every endpoint's errors pass.

Pydantic, Ninja and Django speak English and each their own shape; a Chinese client saw "请求无效。" next to
"Value should have at least 1 item". Here every message a client can cause is a catalogue string, chosen
by the error's *type* (never by parsing English text), so that it follows the request's language:
``Accept-Language`` when the client sends one, else the API key owner's profile language
(:func:`activate_owner_language`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic_core.core_schema import ErrorType

# Pydantic's own error types speak English; any other type is ours (PydanticCustomError), raised with a
# message already in the request's language.
_PYDANTIC_TYPES = frozenset(get_args(ErrorType))

# ("body", "payload", "body") → "body": drop where the value came from and the view's parameter name,
# and keep the client's own field path (which may itself be called "body" or "file").
_SOURCES = ("body", "query", "path", "form", "file", "header", "cookie")
_PARAMETER_NAMES = ("payload", "filters", "page", "data")


def field_name(location: Any) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if parts and parts[0] in _PARAMETER_NAMES:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _limit(context: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in context:
            return context[key]
    return ""


def validation_message(error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence in the active language, chosen by its ``type``."""
    kind = str(error.get("type", ""))
    context: Mapping[str, Any] = error.get("ctx") or {}
    if kind not in _PYDANTIC_TYPES:
        return str(error.get("msg", "")) or _("This value is not valid.")
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "string_too_short":
        least = int(_limit(context, "min_length") or 1)
        if least <= 1:
            return _("This field is required.")
        return ngettext(
            "Enter at least %(count)d character.", "Enter at least %(count)d characters.", least
        ) % {"count": least}
    if kind == "string_too_long":
        most = int(_limit(context, "max_length") or 0)
        return ngettext("Enter at most %(count)d character.", "Enter at most %(count)d characters.", most) % {
            "count": most
        }
    if kind == "too_short":
        least = int(_limit(context, "min_length") or 1)
        if least <= 1:
            # An empty text reaches here too (a length constraint on an annotated str says "Value").
            empty_text = context.get("field_type") not in {"List", "Tuple", "Set", "Dictionary"}
            return _("This field is required.") if empty_text else _("Give at least one value.")
        return ngettext("Give at least %(count)d value.", "Give at least %(count)d values.", least) % {
            "count": least
        }
    if kind == "too_long":
        most = int(_limit(context, "max_length") or 0)
        return ngettext("Give at most %(count)d value.", "Give at most %(count)d values.", most) % {
            "count": most
        }
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type"}:
        return _("Enter a number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a value of at least %(limit)s.") % {"limit": _limit(context, "ge", "gt")}
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a value of at most %(limit)s.") % {"limit": _limit(context, "le", "lt")}
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind.startswith("datetime") or kind in {"timezone_aware", "timezone_naive"}:
        return _("Enter a date and time in ISO 8601, such as 2026-12-07T09:30:00+08:00.")
    if kind.startswith("date"):
        return _("Enter a date in ISO 8601, such as 2026-12-07.")
    if kind.startswith("time"):
        return _("Enter a time such as 09:30.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": _limit(context, "expected")}
    if kind in {"string_type", "string_unicode"}:
        return _("Enter text.")
    if kind == "list_type":
        return _("Send a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Send a JSON object.")
    if kind == "string_pattern_mismatch":
        return _("This value has the wrong format.")
    if kind in {"value_error", "assertion_error"}:
        # Our own validators raise ValueError with a catalogue message: keep it, without pydantic's prefix.
        reason = context.get("error")
        if reason is not None and str(reason):
            return str(reason)
    return _("This value is not valid.")


def validation_fields(errors: list[Mapping[str, Any]]) -> dict[str, str]:
    """Every bad field of a request, each with its first problem."""
    fields: dict[str, str] = {}
    for error in errors:
        fields.setdefault(field_name(error.get("loc", ())), validation_message(error))
    return fields


def activate_owner_language(request: HttpRequest, user: Any) -> None:
    """Speak the API key owner's language when the client names none (no ``Accept-Language``).

    A browser session already chose its language through LocaleMiddleware (cookie, then header).
    """
    if request.META.get("HTTP_ACCEPT_LANGUAGE"):
        return
    agent = getattr(user, "agent", None) if user is not None else None
    language = getattr(agent, "language", None)
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def method_not_allowed(allowed: set[str]) -> HttpResponse:
    """405 as JSON with ``Allow``, in place of Ninja's plain-text "Method not allowed"."""
    response = JsonResponse(
        {
            "error": {
                "code": "method_not_allowed",
                "message": _("This address does not accept this method. Use %(methods)s.")
                % {"methods": ", ".join(sorted(allowed))},
                "fields": {},
            }
        },
        status=405,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Allow"] = ", ".join(sorted(allowed))
    return response


def api_not_found() -> HttpResponse:
    """404 as JSON for an address under the API that no route matches at all (one with a line break in
    it escapes even the API's catch-all route, whose converter stops at line breaks)."""
    return JsonResponse(
        {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
