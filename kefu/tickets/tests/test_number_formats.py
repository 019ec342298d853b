"""Ticket number formats: the checks on a format, every token and its padding, numbering at creation,
and old numbers that keep finding their tickets after the format changes (list, API, family card)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import translation

from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.org.models import HelpdeskSettings
from kefu.org.tests.factories import DepartmentFactory
from kefu.tickets.inputs import MessageInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_receive, ticket_split
from kefu.tickets.services.numbering import (
    MAX_NUMBER,
    NumberParts,
    check_format,
    preview_number,
    render_number,
    ticket_number_format_update,
    token_examples,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# 22 November 2026, 01:30 in Shanghai: still the 21st in UTC, so the date tokens show the zone is used.
CREATED = dt.datetime(2026, 11, 21, 17, 30, tzinfo=dt.UTC)


def parts(**overrides) -> NumberParts:
    values = {
        "number": 42,
        "department_number": 7,
        "department_code": "as",
        "priority": "High",
        "channel": "email",
        "ticket_type": "Question",
        "created_at": CREATED,
    }
    return NumberParts(**(values | overrides))


def set_format(admin_agent, number_format: str) -> None:
    ticket_number_format_update(
        actor=Actor.agent(admin_agent.user), source=Source.WEB, number_format=number_format
    )


# --- check_format ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "{SEQ}",
        "AS-{YYYY}{MM}{DD}-{SEQ:5}",
        " {DEPT}-{DEPTSEQ:4} ",
        "#{YY}/{TYPE}.{PRIORITY}_{CHANNEL}{SEQ:12}",
    ],
)
def test_good_formats_are_accepted_stripped(value):
    assert check_format(value) == value.strip()


BAD_FORMATS = [
    ("", "This field is required.", "此字段为必填项。"),
    ("   ", "This field is required.", "此字段为必填项。"),
    (None, "This field is required.", "此字段为必填项。"),
    ("{SEQ}" + "x" * 96, "Enter at most 100 characters.", "最多输入 100 个字符。"),
    ("{SEQ}-{CATEGORY}", "Unknown token {CATEGORY}.", "未知占位符 {CATEGORY}。"),
    (
        "{SEQ}-{YYYY:4}",
        "Only {SEQ:n} and {DEPTSEQ:n} take a width, from 1 to 12.",
        "只有 {SEQ:n} 和 {DEPTSEQ:n} 可以指定位数，范围 1 到 12。",
    ),
    ("{SEQ:0}", "Only {SEQ:n} and {DEPTSEQ:n} take a width, from 1 to 12.", None),
    ("{SEQ:13}", "Only {SEQ:n} and {DEPTSEQ:n} take a width, from 1 to 12.", None),
    (
        "工单-{SEQ}",
        "Between tokens use letters, digits and - _ . / # only.",
        "占位符之间只能使用字母、数字和 - _ . / #。",
    ),
    ("AS {SEQ}", "Between tokens use letters, digits and - _ . / # only.", None),
    ("[{SEQ}]", "Between tokens use letters, digits and - _ . / # only.", None),
    ("{seq}", "Between tokens use letters, digits and - _ . / # only.", None),
    (
        "AS-{YYYY}{MM}{DD}",
        "Include {SEQ} or {SEQ:n}, or {DEPTSEQ} together with {DEPT}, so numbers are unique.",
        None,
    ),
    (
        "AS-{DEPTSEQ:5}",
        "Include {SEQ} or {SEQ:n}, or {DEPTSEQ} together with {DEPT}, so numbers are unique.",
        None,
    ),
]


@pytest.mark.parametrize(("value", "english", "chinese"), BAD_FORMATS)
def test_each_bad_format_is_refused_naming_format(value, english, chinese):
    with pytest.raises(ValidationFailed) as refused:
        check_format(value)
    assert refused.value.fields == {"format": english}
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as in_chinese:
        check_format(value)
    reason = in_chinese.value.fields["format"]
    assert reason != english
    if chinese is not None:
        assert reason == chinese


# --- render_number -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format_", "expected"),
    [
        ("{DEPT}", "AS"),
        ("{PRIORITY}", "HIGH"),
        ("{CHANNEL}", "EMAIL"),
        ("{TYPE}", "QUESTION"),
        ("{YYYY}", "2026"),
        ("{YY}", "26"),
        ("{MM}", "11"),
        ("{DD}", "22"),
        ("{SEQ}", "42"),
        ("{SEQ:1}", "42"),
        ("{SEQ:2}", "42"),
        ("{SEQ:5}", "00042"),
        ("{SEQ:12}", "000000000042"),
        ("{DEPTSEQ}", "7"),
        ("{DEPTSEQ:4}", "0007"),
        ("AS-{YYYY}{MM}{DD}-{SEQ:5}", "AS-20261122-00042"),
        ("{DEPT}/{YY}{MM}.{DEPTSEQ:3}#{PRIORITY}_{TYPE}", "AS/2611.007#HIGH_QUESTION"),
    ],
)
def test_render_number_replaces_every_token(format_, expected):
    assert render_number(format_, parts(), SHANGHAI) == expected


def test_dates_are_the_creation_day_in_the_help_desk_zone():
    assert render_number("{YYYY}{MM}{DD}", parts(), dt.UTC) == "20261121"
    assert render_number("{YYYY}{MM}{DD}", parts(), SHANGHAI) == "20261122"
    new_year = parts(created_at=dt.datetime(2026, 12, 31, 16, 0, tzinfo=dt.UTC))
    assert render_number("{YY}{MM}{DD}", new_year, SHANGHAI) == "270101"


def test_names_lose_spaces_and_punctuation_and_a_padding_never_cuts_a_long_number():
    shown = render_number(
        "{TYPE}-{PRIORITY}-{DEPT}-{SEQ:3}",
        parts(ticket_type="Service request", priority="紧急", department_code="after sales!", number=123456),
        SHANGHAI,
    )
    assert shown == "SERVICEREQUEST-紧急-AFTERSALES-123456"


def test_a_rendered_number_is_cut_to_the_column_width():
    shown = render_number("{TYPE}{TYPE}{SEQ}", parts(ticket_type="X" * 40), SHANGHAI)
    assert len(shown) == MAX_NUMBER


@pytest.mark.django_db
def test_the_preview_and_the_token_examples_use_the_next_number(create_ticket):
    create_ticket()
    create_ticket()
    HelpdeskSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Asia/Shanghai"})
    assert preview_number("AS-{YYYY}{MM}{DD}-{SEQ:5}", now=CREATED) == "AS-20261122-00003"
    assert token_examples(now=CREATED) == {
        "{DEPT}": "AS",
        "{PRIORITY}": "HIGH",
        "{CHANNEL}": "EMAIL",
        "{TYPE}": "QUESTION",
        "{YYYY}": "2026",
        "{YY}": "26",
        "{MM}": "11",
        "{DD}": "22",
        "{SEQ:5}": "00003",
        "{DEPTSEQ:5}": "00001",
    }


# --- numbering at creation ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_format_the_display_number_is_the_number(create_ticket):
    ticket = create_ticket()
    assert (ticket.number, ticket.display_number, ticket.shown_number) == (1, "1", "1")


@pytest.mark.django_db
@time_machine.travel(CREATED, tick=False)
def test_a_format_numbers_new_tickets_from_their_attributes(admin_agent, create_ticket, department):
    HelpdeskSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Asia/Shanghai"})
    set_format(admin_agent, "{DEPT}-{YYYY}{MM}{DD}-{PRIORITY}-{CHANNEL}-{TYPE}-{SEQ:5}")
    ticket = create_ticket(priority="高", type="咨询", channel="email")
    assert ticket.display_number == "AFTER-SALES-20261122-HIGH-EMAIL-QUESTION-00001"
    assert Ticket.objects.get(pk=ticket.pk).display_number == ticket.display_number


@pytest.mark.django_db
def test_department_sequences_count_per_department(admin_agent, create_ticket, department):
    set_format(admin_agent, "{DEPT}-{DEPTSEQ:3}")
    books = DepartmentFactory(code="BK", name="图书", name_en="Books")
    shown = [
        create_ticket().display_number,
        create_ticket(department_id=books.pk).display_number,
        create_ticket().display_number,
        create_ticket(department_id=books.pk).display_number,
    ]
    assert shown == ["AFTER-SALES-001", "BK-001", "AFTER-SALES-002", "BK-002"]
    assert sorted(Ticket.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_a_number_an_older_format_already_gave_gets_the_plain_number_appended(admin_agent, create_ticket):
    set_format(admin_agent, "T{SEQ}")
    first = create_ticket()
    set_format(admin_agent, "T1{SEQ}")  # ticket 2 would be "T12" — free; ticket 1 would have been "T11"
    second = create_ticket()
    set_format(admin_agent, "T{SEQ}")
    Ticket.objects.filter(pk=second.pk).update(display_number="T3")
    third = create_ticket()
    assert [first.display_number, second.display_number, third.display_number] == ["T1", "T12", "T3-3"]


@pytest.mark.django_db
def test_a_split_off_ticket_is_numbered_by_the_format(admin_agent, create_ticket):
    set_format(admin_agent, "SP-{SEQ:4}")
    ticket = create_ticket()
    thread = ticket_receive(
        actor=Actor.contact(ticket.contact),
        source=Source.EMAIL,
        ticket=ticket,
        data=MessageInput(body="另外路由器也连不上", subject="路由器问题"),
    )
    new = ticket_split(
        actor=Actor.agent(admin_agent.user), source=Source.WEB, ticket=ticket, thread_id=thread.pk
    )
    assert (ticket.display_number, new.display_number) == ("SP-0001", "SP-0002")
