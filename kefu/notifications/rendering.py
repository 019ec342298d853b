"""Rendering notification templates: Jinja2's sandbox over plain values, never over model instances.

A template sees only dictionaries of strings and numbers built by :func:`ticket_context` — it cannot
reach the database, call a method of a model or run code (the sandbox refuses attribute access to
anything unsafe). HTML bodies are rendered with autoescaping, so a customer named ``<b>`` is written,
not rendered; the message that caused the notification (``latest_reply``) is already-cleaned HTML there
and plain text in the subject and the text body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

MAX_OUTPUT = 200_000


def _environment(*, html: bool, strict: bool) -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        autoescape=html,
        undefined=StrictUndefined if strict else Undefined,
        keep_trailing_newline=False,
    )


_text = _environment(html=False, strict=False)
_html = _environment(html=True, strict=False)
_text_strict = _environment(html=False, strict=True)
_html_strict = _environment(html=True, strict=True)

# What the editor lists: placeholder → what it holds (shown translated).
PLACEHOLDERS: tuple[tuple[str, str], ...] = (
    ("ticket.number", gettext_noop("The ticket number with its prefix")),
    ("ticket.subject", gettext_noop("The ticket's subject")),
    ("ticket.url", gettext_noop("The ticket in the console (for agents)")),
    ("ticket.portal_url", gettext_noop("The ticket in the help center (for customers)")),
    ("ticket.status", gettext_noop("The ticket's status")),
    ("ticket.priority", gettext_noop("The ticket's priority")),
    ("ticket.department", gettext_noop("The ticket's department")),
    ("ticket.team", gettext_noop("The ticket's team")),
    ("ticket.custom_fields.<key>", gettext_noop("A custom field's value, by its key")),
    ("contact.name", gettext_noop("The customer's name")),
    ("contact.email", gettext_noop("The customer's email address")),
    ("agent.name", gettext_noop("The agent who made the change (or the assignee)")),
    ("assignee.name", gettext_noop("The ticket's assignee")),
    ("recipient.name", gettext_noop("The person this notification goes to")),
    ("latest_reply", gettext_noop("The reply or comment that caused the notification")),
    ("helpdesk.name", gettext_noop("The help desk's name")),
)


def placeholder_help() -> list[tuple[str, str]]:
    return [("{{ " + name + " }}", _(description)) for name, description in PLACEHOLDERS]


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_html: str
    body_text: str


def _for_format(context: dict[str, Any], *, html: bool) -> dict[str, Any]:
    reply = context.get("latest_reply_html", "") if html else context.get("latest_reply", "")
    values = {key: value for key, value in context.items() if key != "latest_reply_html"}
    values["latest_reply"] = Markup(reply) if html else reply
    return values


def render(subject: str, body_html: str, body_text: str, context: dict[str, Any]) -> Rendered:
    """Render the three parts; a part that fails renders as the error's text (checked on save)."""
    html_context = _for_format(context, html=True)
    text_context = _for_format(context, html=False)
    rendered_subject = " ".join(_render(_text, subject, text_context).split())[:300]
    return Rendered(
        subject=rendered_subject,
        body_html=_render(_html, body_html, html_context)[:MAX_OUTPUT],
        body_text=_render(_text, body_text, text_context).strip()[:MAX_OUTPUT],
    )


def _render(environment: ImmutableSandboxedEnvironment, source: str, context: dict[str, Any]) -> str:
    try:
        return environment.from_string(source).render(context)
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError) as exc:
        return f"[{type(exc).__name__}: {exc}]"


def template_errors(fields: dict[str, str], context: dict[str, Any]) -> dict[str, str]:
    """Each field's problem (``"line 2: unexpected '}'"``), or an empty dict when all of them render.

    A template must compile, and render against ``context`` (a sample ticket) without touching a
    placeholder that does not exist or anything the sandbox refuses.
    """
    errors: dict[str, str] = {}
    for name, source in fields.items():
        html = name == "body_html"
        environment = _html_strict if html else _text_strict
        try:
            template = environment.from_string(source)
        except TemplateSyntaxError as exc:
            errors[name] = _("Line %(line)d: %(reason)s") % {"line": exc.lineno, "reason": exc.message}
            continue
        try:
            template.render(_for_format(context, html=html))
        except TemplateError as exc:
            line = _error_line(exc, source)
            reason = str(exc.message or exc)
            errors[name] = (
                _("Line %(line)d: %(reason)s") % {"line": line, "reason": reason} if line else reason
            )
        except (TypeError, ValueError, ArithmeticError) as exc:
            errors[name] = f"{type(exc).__name__}: {exc}"
    return errors


def _error_line(exc: Exception, source: str) -> int:
    """The template line an error at render time came from (Jinja keeps it in the traceback)."""
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def sample_context() -> dict[str, Any]:
    """Values of the right shape for checking a template when no ticket is at hand."""
    person = {"name": "Wang Fang", "email": "wang.fang@example.cn"}
    return {
        "ticket": {
            "id": 1,
            "number": "#1",
            "subject": "Printer offline",
            "url": "http://localhost/tickets/1/",
            "portal_url": "http://localhost/hc/default/tickets/1/",
            "status": "Open",
            "priority": "Normal",
            "department": "Support",
            "team": "",
            "custom_fields": _AnyFields(),
        },
        "contact": person,
        "agent": person,
        "assignee": person,
        "recipient": person,
        "latest_reply": "…",
        "latest_reply_html": "<p>…</p>",
        "helpdesk": {"name": "Kefu"},
    }


class _AnyFields(dict[str, Any]):
    """The sample's custom fields: any key exists (a template may name any field)."""

    def __missing__(self, key: str) -> str:
        return ""

    def __contains__(self, key: object) -> bool:
        return True
