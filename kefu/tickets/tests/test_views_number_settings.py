"""Settings → Ticket numbers: the form, the token list, the live preview (HTMX), in Chinese and English."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kefu.core.models import AuditEntry
from kefu.org.models import HelpdeskSettings
from kefu.tickets.models import TicketNumberFormat

PAGE = reverse("settings-ticket-number")
PREVIEW = reverse("settings-ticket-number-preview")
NOW = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_agent):
    HelpdeskSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Asia/Shanghai"})
    client.force_login(admin_agent.user)
    return client


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            ["Ticket numbers", "Ticket number format", "Tokens", "The department&#x27;s code, in capitals"],
        ),
        ("zh-hans", ["工单编号", "工单编号格式", "占位符", "部门代码（大写）"]),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_format_the_preview_and_every_token(admin_client, language, words):
    admin_client.cookies["django_language"] = language
    page = admin_client.get(PAGE).content.decode()
    for word in words:
        assert word in page, word
    assert 'value="{SEQ}"' in page
    assert f'hx-get="{PREVIEW}"' in page
    assert 'data-testid="ticket-number-preview"' in page
    assert ">1</span>" in page
    for syntax, example in [("{DEPT}", "AS"), ("{YYYY}", "2026"), ("{DD}", "22"), ("{SEQ} {SEQ:n}", "00001")]:
        assert f"<code>{syntax}</code>" in page
        assert f"<code>{example}</code>" in page
    assert f'href="{PAGE}"' in page  # in the settings navigation, marked as the current page
    assert 'aria-current="page" href="' + PAGE in page


def test_only_the_settings_right_opens_the_page_or_the_preview(client, agent):
    client.force_login(agent.user)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"format": "X-{SEQ}"}).status_code == 403
    assert client.get(PREVIEW, {"format": "X-{SEQ}"}).status_code == 403
    assert not TicketNumberFormat.objects.filter(format="X-{SEQ}").exists()


@time_machine.travel(NOW, tick=False)
def test_saving_a_format_records_it(admin_client, admin_agent):
    response = admin_client.post(PAGE, {"format": "AS-{YYYY}{MM}{DD}-{SEQ:5}"})
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert TicketNumberFormat.objects.get(pk=1).format == "AS-{YYYY}{MM}{DD}-{SEQ:5}"
    entry = AuditEntry.objects.get(action="ticket_number_format.updated")
    assert (entry.actor_id, entry.source) == (admin_agent.user.pk, "web")
    page = admin_client.get(PAGE).content.decode()
    assert "The ticket number format was saved." in page
    assert "AS-20261122-00001" in page


@pytest.mark.parametrize(
    ("language", "error"),
    [("en", "Unknown token {CATEGORY}."), ("zh-hans", "未知占位符 {CATEGORY}。")],
)
def test_a_bad_format_is_shown_on_the_form_and_not_saved(admin_client, language, error):
    admin_client.cookies["django_language"] = language
    response = admin_client.post(PAGE, {"format": "{SEQ}-{CATEGORY}"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<div class="invalid-feedback d-block">{error}</div>' in page
    assert 'value="{SEQ}-{CATEGORY}"' in page
    assert 'aria-invalid="true"' in page
    assert not TicketNumberFormat.objects.exclude(format="{SEQ}").exists()


@time_machine.travel(NOW, tick=False)
def test_the_preview_follows_what_is_typed(admin_client):
    response = admin_client.get(PREVIEW, {"format": "{DEPT}-{YY}{MM}-{DEPTSEQ:4}"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="ticket-number-preview"')
    assert ">AS-2611-0001</span>" in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("en", "Include {SEQ} or {SEQ:n}, or {DEPTSEQ} together with {DEPT}, so numbers are unique."),
        ("zh-hans", "请包含 {SEQ} 或 {SEQ:n}，或同时包含 {DEPTSEQ} 与 {DEPT}，以保证编号唯一。"),
    ],
)
def test_the_preview_says_why_a_format_cannot_be_used(admin_client, language, error):
    admin_client.cookies["django_language"] = language
    html = admin_client.get(PREVIEW, {"format": "AS-{YYYY}"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'<span class="text-danger">{error}</span>' in html
