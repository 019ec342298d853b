"""``/api/v1/settings/ticket-number`` (permissions, errors in the client's language, audit) and display
numbers on the API, the console list, search and the family card — old numbers keep working."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kefu.core.actors import Actor, Source
from kefu.core.models import AuditEntry
from kefu.org.models import HelpdeskSettings
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.models import Ticket, TicketNumberFormat
from kefu.tickets.services.numbering import ticket_number_format_update
from tests.helpers import error_of

URL = "/api/v1/settings/ticket-number"
TOKENS = [
    "{DEPT}",
    "{PRIORITY}",
    "{CHANNEL}",
    "{TYPE}",
    "{YYYY}",
    "{YY}",
    "{MM}",
    "{DD}",
    "{SEQ}",
    "{DEPTSEQ}",
]
CREATED = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def set_format(admin_agent, number_format: str) -> None:
    ticket_number_format_update(
        actor=Actor.agent(admin_agent.user), source=Source.WEB, number_format=number_format
    )


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


@time_machine.travel(CREATED, tick=False)
def test_get_shows_the_format_the_preview_and_the_tokens(admin_api, create_ticket):
    create_ticket()
    response = admin_api.get(URL)
    assert response.status_code == 200
    assert response.json() == {"format": "{SEQ}", "preview": "2", "tokens": TOKENS}


@time_machine.travel(CREATED, tick=False)
def test_patch_sets_the_format_and_records_it_in_the_audit_log(admin_api, admin_agent):
    response = admin_api.patch_json(URL, {"format": " AS-{YYYY}{MM}{DD}-{SEQ:5} "})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "format": "AS-{YYYY}{MM}{DD}-{SEQ:5}",
        "preview": "AS-20261122-00001",
        "tokens": TOKENS,
    }
    assert TicketNumberFormat.objects.get(pk=1).format == "AS-{YYYY}{MM}{DD}-{SEQ:5}"
    entry = AuditEntry.objects.get(action="ticket_number_format.updated")
    assert (entry.actor_kind, entry.actor_id, entry.source) == ("agent", admin_agent.user.pk, "api")
    assert entry.changes == {"format": ["{SEQ}", "AS-{YYYY}{MM}{DD}-{SEQ:5}"]}
    assert admin_api.get(URL).json()["format"] == "AS-{YYYY}{MM}{DD}-{SEQ:5}"
    # The same format again changes nothing and records nothing.
    assert admin_api.patch_json(URL, {"format": "AS-{YYYY}{MM}{DD}-{SEQ:5}"}).status_code == 200
    assert AuditEntry.objects.filter(action="ticket_number_format.updated").count() == 1


@pytest.mark.parametrize("who", ["anonymous", "agent", "light_agent", "supervisor"])
def test_only_the_settings_right_reads_or_changes_the_format(who, api_client_for, agent, light_agent):
    user = {
        "anonymous": None,
        "agent": agent,
        "light_agent": light_agent,
        "supervisor": AgentFactory(user__email="sup@kefu.test", role_key="supervisor"),
    }[who]
    client = api_client_for(user)
    expected = 401 if user is None else 403
    assert client.get(URL).status_code == expected
    error_of(client.patch_json(URL, {"format": "X-{SEQ}"}), expected)
    assert not TicketNumberFormat.objects.filter(format="X-{SEQ}").exists()
    assert not AuditEntry.objects.filter(action="ticket_number_format.updated").exists()


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        ("{SEQ}-{CATEGORY}", "Unknown token {CATEGORY}.", "未知占位符 {CATEGORY}。"),
        (
            "AS-{YYYY}",
            "Include {SEQ} or {SEQ:n}, or {DEPTSEQ} together with {DEPT}, so numbers are unique.",
            "请包含 {SEQ} 或 {SEQ:n}，或同时包含 {DEPTSEQ} 与 {DEPT}，以保证编号唯一。",
        ),
        (
            "{SEQ:20}",
            "Only {SEQ:n} and {DEPTSEQ:n} take a width, from 1 to 12.",
            "只有 {SEQ:n} 和 {DEPTSEQ:n} 可以指定位数，范围 1 到 12。",
        ),
        (
            "AS {SEQ}",
            "Between tokens use letters, digits and - _ . / # only.",
            "占位符之间只能使用字母、数字和 - _ . / #。",
        ),
    ],
)
def test_a_bad_format_is_a_422_naming_format_in_the_clients_language(admin_api, value, english, chinese):
    refused = error_of(admin_api.patch_json(URL, {"format": value}), 422)
    assert refused["fields"] == {"format": english}
    assert refused["message"] == "The ticket number format is not valid."
    in_chinese = error_of(admin_api.patch_json(URL, {"format": value}, HTTP_ACCEPT_LANGUAGE="zh-hans"), 422)
    assert in_chinese["fields"] == {"format": chinese}
    assert in_chinese["message"] == "工单编号格式无效。"
    assert not TicketNumberFormat.objects.exclude(format="{SEQ}").exists()
    assert not AuditEntry.objects.filter(action="ticket_number_format.updated").exists()


@pytest.mark.parametrize("payload", [{}, {"format": ""}, {"format": 5}, {"format": "{SEQ}" + "x" * 96}])
def test_a_missing_empty_or_long_format_is_a_422_naming_format(admin_api, payload):
    refused = error_of(admin_api.patch_json(URL, payload), 422)
    assert list(refused["fields"]) == ["format"]


# --- display numbers everywhere ----------------------------------------------------------------------


@pytest.fixture
def numbered(admin_agent, create_ticket):
    """Ticket 1 made under the default format, then ticket 2 under ``AS-{YYYY}{MM}{DD}-{SEQ:5}``."""
    HelpdeskSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Asia/Shanghai"})
    with time_machine.travel(CREATED, tick=False):
        old = create_ticket(subject="旧编号的工单")
        set_format(admin_agent, "AS-{YYYY}{MM}{DD}-{SEQ:5}")
        new = create_ticket(subject="新编号的工单")
    assert (old.display_number, new.display_number) == ("1", "AS-20261122-00002")
    return old, new


def test_the_api_shows_the_display_number_and_q_finds_old_and_new_numbers(api, numbered):
    old, new = numbered
    assert api.get(f"/api/v1/tickets/{new.pk}").json()["display_number"] == "#AS-20261122-00002"
    assert api.get(f"/api/v1/tickets/{old.pk}").json()["display_number"] == "#1"
    for query, expected in [
        ("AS-20261122-00002", new),
        ("#AS-20261122-00002", new),
        ("as-20261122-00002", new),
        ("2", new),
        ("#1", old),
        ("1", old),
    ]:
        items = api.get("/api/v1/tickets", {"q": query}).json()["items"]
        assert [item["id"] for item in items] == [expected.pk], query


def test_a_format_change_keeps_old_numbers(admin_agent, api, numbered):
    old, new = numbered
    set_format(admin_agent, "{DEPT}-{DEPTSEQ:3}")
    newest = Ticket.objects.get(
        pk=api.post_json(
            "/api/v1/tickets",
            {
                "subject": "第三张",
                "description": "新格式",
                "department_id": new.department_id,
                "contact": {"email": "li.na@example.cn"},
            },
        ).json()["id"]
    )
    assert newest.display_number == "AFTER-SALES-001"
    assert Ticket.objects.get(pk=new.pk).display_number == "AS-20261122-00002"
    for query, expected in [
        ("AS-20261122-00002", new),
        ("1", old),
        ("AFTER-SALES-001", newest),
        ("3", newest),
    ]:
        items = api.get("/api/v1/tickets", {"q": query}).json()["items"]
        assert [item["id"] for item in items] == [expected.pk], query


def test_the_console_list_search_and_ticket_page_show_and_find_display_numbers(client, agent, numbered):
    _old, new = numbered
    client.force_login(agent.user)
    page = client.get("/tickets/", {"view": "open", "q": "AS-20261122-00002"}).content.decode()
    assert "#AS-20261122-00002" in page
    assert "旧编号的工单" not in page
    page = client.get("/tickets/", {"view": "open", "q": "#1"}).content.decode()
    assert "旧编号的工单" in page
    assert "新编号的工单" not in page
    results = client.get("/search/", {"q": "#AS-20261122-00002"}).content.decode()
    assert "#AS-20261122-00002" in results
    assert (
        'data-testid="ticket-number">#AS-20261122-00002<'
        in client.get(f"/tickets/{new.pk}/").content.decode()
    )


def test_the_family_card_links_a_child_by_its_display_number_and_shows_it(client, agent, api, numbered):
    old, new = numbered
    client.force_login(agent.user)
    response = client.post(
        f"/tickets/{old.pk}/family/", {"action": "link_child", "number": "#AS-20261122-00002"}
    )
    assert response.status_code in (200, 302), response.content
    assert Ticket.objects.get(pk=new.pk).parent_id == old.pk
    assert "#AS-20261122-00002 新编号的工单" in client.get(f"/tickets/{old.pk}/").content.decode()
    children = api.get(f"/api/v1/tickets/{old.pk}/children").json()["items"]
    assert [child["display_number"] for child in children] == ["#AS-20261122-00002"]


def test_the_merge_card_takes_display_numbers(client, agent, numbered):
    old, new = numbered
    client.force_login(agent.user)
    response = client.post(f"/tickets/{old.pk}/merge/", {"numbers": "#AS-20261122-00002"})
    assert response.status_code == 302, response.content
    assert Ticket.objects.get(pk=new.pk).merged_into_id == old.pk
