"""How the console shows a moment: one absolute format per language, and a relative phrase.

English pages read "Dec 7, 2026 09:32", Chinese ones "2026-12-07 09:32" (always 24-hour, always in the
viewer's time zone, which the middleware activates). Lists and conversations show the relative phrase
("3 min ago", "3 分钟前", "in 2 h") with the absolute time on hover.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

# Formatted by hand, not with the ``date`` filter: a long conversation formats hundreds of moments.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _family() -> str:
    return "zh" if (get_language() or "").lower().startswith("zh") else "en"


def _date(local: dt.datetime, *, year: bool = True) -> str:
    if _family() == "zh":
        return f"{local:%Y-%m-%d}" if year else f"{local:%m-%d}"
    day = f"{_MONTHS[local.month - 1]} {local.day}"
    return f"{day}, {local.year}" if year else day


def absolute(value: dt.datetime) -> str:
    """``value`` in the viewer's zone, in the active language's one format."""
    local = timezone.localtime(value)
    return f"{_date(local)} {local:%H:%M}"


def relative(value: dt.datetime, now: dt.datetime | None = None) -> str:
    """ "just now", "3 min ago", "5 h ago", "2 days ago", "in 3 h" …; a date beyond a week."""
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    minutes, hours, days = int(seconds // 60), int(seconds // 3600), int(seconds // 86400)
    if seconds < 60:
        return _("just now") if not future else _("in a moment")
    if days >= 7:
        local = timezone.localtime(value)
        return _date(local, year=local.year != timezone.localtime(now).year)
    if minutes < 60:
        if future:
            return ngettext("in %(count)d min", "in %(count)d min", minutes) % {"count": minutes}
        return ngettext("%(count)d min ago", "%(count)d min ago", minutes) % {"count": minutes}
    if hours < 24:
        if future:
            return ngettext("in %(count)d h", "in %(count)d h", hours) % {"count": hours}
        return ngettext("%(count)d h ago", "%(count)d h ago", hours) % {"count": hours}
    if future:
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
