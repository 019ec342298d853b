"""Subject tags with ticket number formats: our mail is tagged ``[#AS-20261122-00001]``, a reply with that
tag continues the ticket, and the plain ``[#1]`` of a ticket numbered before the format still works."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kefu.channels.email.outbound import subject_tag
from kefu.channels.email.tests.mails import raw_mail
from kefu.channels.email.threading import subject_display_numbers
from kefu.core.actors import Actor, Source
from kefu.org.models import HelpdeskSettings
from kefu.tickets.models import Ticket
from kefu.tickets.services.numbering import ticket_number_format_update

pytestmark = pytest.mark.django_db

CREATED = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)


def _format(admin_agent, number_format: str) -> None:
    ticket_number_format_update(
        actor=Actor.agent(admin_agent.user), source=Source.WEB, number_format=number_format
    )


def _tagged(subject: str, message_id: str) -> bytes:
    return raw_mail(subject=subject, body="还是不行。", message_id=message_id)


@pytest.fixture
def old_and_new(ingest, admin_agent):
    """Ticket 1 from mail under the default format, ticket 2 from mail under ``AS-{YYYY}{MM}{DD}-{SEQ:5}``."""
    HelpdeskSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Asia/Shanghai"})
    with time_machine.travel(CREATED, tick=False):
        old = ingest(raw_mail(message_id="<old@example.cn>", subject="旧工单")).ticket
        _format(admin_agent, "AS-{YYYY}{MM}{DD}-{SEQ:5}")
        new = ingest(raw_mail(message_id="<new@example.cn>", subject="新工单")).ticket
    return old, new


def test_mail_from_a_formatted_ticket_carries_its_display_number(old_and_new):
    old, new = old_and_new
    assert (subject_tag(old), subject_tag(new)) == ("[#1]", "[#AS-20261122-00002]")


@pytest.mark.parametrize(
    "subject",
    [
        "回复：[#AS-20261122-00002] 新工单",
        "Re: [#as-20261122-00002] 新工单",
        "转发：新工单 [#AS-20261122-00002]",
    ],
)
def test_a_reply_tagged_with_the_display_number_continues_the_ticket(ingest, old_and_new, subject):
    _old, new = old_and_new
    reply = ingest(_tagged(subject, "<reply@example.cn>"))
    assert reply.ticket == new
    assert Ticket.objects.count() == 2


def test_the_plain_tag_of_a_ticket_from_before_the_format_still_threads(ingest, old_and_new, admin_agent):
    old, new = old_and_new
    _format(admin_agent, "{DEPT}-{DEPTSEQ:3}")  # and after a second change
    assert ingest(_tagged("Re: [#1] 旧工单", "<r1@example.cn>")).ticket == old
    assert ingest(_tagged("Re: [#AS-20261122-00002] 新工单", "<r2@example.cn>")).ticket == new
    assert ingest(_tagged("Re: [#2] 新工单", "<r3@example.cn>")).ticket == new
    assert Ticket.objects.count() == 2


def test_a_configured_prefix_tags_display_numbers_too(ingest, old_and_new):
    _old, new = old_and_new
    HelpdeskSettings.objects.filter(pk=1).update(ticket_number_prefix="KF-")
    assert subject_tag(new) == "[KF-AS-20261122-00002]"
    assert subject_display_numbers("Re: [KF-AS-20261122-00002] 新工单", "KF-") == ["AS-20261122-00002"]
    assert ingest(_tagged("Re: [KF-AS-20261122-00002] 新工单", "<r4@example.cn>")).ticket == new


def test_a_stranger_cannot_join_a_ticket_by_its_display_number(ingest, old_and_new):
    _old, new = old_and_new
    stranger = ingest(
        raw_mail(
            sender="mallory@example.net", subject="[#AS-20261122-00002] 新工单", message_id="<m@example.net>"
        )
    )
    assert stranger.ticket != new
    assert Ticket.objects.count() == 3
