"""One absolute format per language and relative phrases, in the viewer's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone, translation

from kefu.core.moments import absolute, relative

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 1, 32, tzinfo=dt.UTC)  # 09:32 in Shanghai


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Dec 7, 2026 09:32"), ("zh-hans", "2026-12-07 09:32")]
)
def test_one_absolute_format_per_language_in_the_viewers_zone(language, expected):
    with translation.override(language), timezone.override(SHANGHAI):
        assert absolute(NOW) == expected


@pytest.mark.parametrize(
    ("delta", "en", "zh"),
    [
        (dt.timedelta(seconds=20), "just now", "刚刚"),
        (dt.timedelta(minutes=3), "3 min ago", "3 分钟前"),
        (dt.timedelta(hours=5, minutes=10), "5 h ago", "5 小时前"),
        (dt.timedelta(days=2), "2 days ago", "2 天前"),
        (-dt.timedelta(hours=3), "in 3 h", "3 小时后"),
        (dt.timedelta(days=10), "Nov 27", "11-27"),
        (dt.timedelta(days=400), "Nov 2, 2025", "2025-11-02"),
    ],
)
def test_relative_phrases(delta, en, zh):
    with timezone.override(SHANGHAI):
        with translation.override("en"):
            assert relative(NOW - delta, NOW) == en
        with translation.override("zh-hans"):
            assert relative(NOW - delta, NOW) == zh
