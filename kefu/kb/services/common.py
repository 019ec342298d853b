"""Who may write to the knowledge base, and the checks every KB service shares.

- Agents who may reply to customers (``ticket.reply``) write articles: drafts and "in review".
- Publishing, and editing categories and sections, needs ``settings.manage`` (administrators):
  the help center is the company's public face, so someone answerable decides what is on it.
Customers and other actors never write here; their votes and page views go through
``kb_article_vote`` and ``kb_article_viewed``, which take no actor.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kefu.core import events
from kefu.core.actors import Actor
from kefu.core.errors import PermissionDenied
from kefu.core.event_types import EventType
from kefu.org import permissions
from kefu.org.selectors import agent_access

LANGUAGES = ("zh-hans", "en")


def _can(actor: Actor, permission: str) -> bool:
    return actor.is_agent and agent_access(actor.user).can(permission)


def require_writer(actor: Actor) -> None:
    if not _can(actor, permissions.TICKET_REPLY):
        raise PermissionDenied(_("You may not write knowledge-base articles."))


def require_manager(actor: Actor) -> None:
    if not _can(actor, permissions.SETTINGS_MANAGE):
        raise PermissionDenied(_("Only administrators may publish or organise the knowledge base."))


def may_publish(actor: Actor) -> bool:
    return _can(actor, permissions.SETTINGS_MANAGE)


def required_text(
    value: object, field: str, limit: int, errors: dict[str, str], *, required: bool = True
) -> str:
    """``value`` trimmed; a reason in ``errors[field]`` when it is missing, not text or too long."""
    if not isinstance(value, str):
        errors[field] = _("Enter text.")
        return ""
    text = value.strip()
    if required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > limit:
        errors[field] = _("Enter at most %(limit)d characters.") % {"limit": limit}
    return text


def language_of(value: object, errors: dict[str, str], field: str = "language") -> str:
    if value not in LANGUAGES:
        errors[field] = _("Choose zh-hans or en.")
        return ""
    return str(value)


def position_of(value: object, errors: dict[str, str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        errors["position"] = _("Enter a whole number from 0 to 100000.")
        return 0
    return value


def articles_changed(article_ids: Iterable[int]) -> None:
    """Tell the index (and anyone else) after commit that these articles' content or scope changed."""
    ids = sorted(set(article_ids))
    if ids:
        events.publish(EventType.KB_ARTICLE_CHANGED, article_ids=ids)
