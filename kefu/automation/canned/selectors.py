"""Finding canned replies: what an agent may use, searched by title, shortcut and text."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kefu.automation.canned.scope import visible_q
from kefu.automation.models import CannedReply

LIMIT = 50


def canned_reply_search(
    user: Any, *, q: str = "", language: str = "", department_id: int | None = None, limit: int = LIMIT
) -> QuerySet[CannedReply]:
    """The replies ``user`` may use, most used first; ``q`` matches a shortcut's start, a title or the text.

    ``department_id`` (a ticket's) keeps the replies for that department or for every department.
    """
    replies = CannedReply.objects.filter(visible_q(user)).select_related("department")
    q = q.strip().lstrip("#")
    if q:
        replies = replies.filter(Q(shortcut__istartswith=q) | Q(title__icontains=q) | Q(body__icontains=q))
    if language:
        replies = replies.filter(language=language)
    if department_id is not None:
        replies = replies.filter(Q(department__isnull=True) | Q(department_id=department_id))
    return replies.order_by("-usage_count", "title", "id")[:limit]
