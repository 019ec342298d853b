"""The printable ticket page and the keyboard-shortcut help on the list and the ticket page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kefu.core.actors import Actor, Source
from kefu.tickets.inputs import CommentInput, ReplyInput
from kefu.tickets.services import ticket_comment, ticket_merge, ticket_reply


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


@pytest.mark.django_db
def test_print_shows_the_ticket_and_its_conversation_without_the_console(signed_in, agent, create_ticket):
    ticket = create_ticket(subject="收银机无法开机")
    actor = Actor.agent(agent.user)
    ticket_reply(actor=actor, source=Source.WEB, ticket=ticket, data=ReplyInput(body="请先检查电源线。"))
    ticket_comment(
        actor=actor, source=Source.WEB, ticket=ticket, data=CommentInput(body="内部：可能是电源故障")
    )
    url = reverse("tickets:print", args=[ticket.pk])
    page = signed_in.get(url).content.decode()
    assert "收银机无法开机" in page
    assert page.count('data-testid="print-thread"') == 2  # the customer's message and the reply
    assert "请先检查电源线。" in page
    assert "内部：可能是电源故障" in page
    assert 'id="ticket-views"' not in page  # no console navigation
    assert "kefu/print.css" in page
    without = signed_in.get(url, {"internal": "0"}).content.decode()
    assert "内部：可能是电源故障" not in without
    assert 'data-testid="print-comment"' not in without


@pytest.mark.django_db
def test_print_of_another_departments_ticket_is_404_and_a_merged_one_redirects(
    client, other_agent, signed_in, agent, create_ticket
):
    ticket, merged = create_ticket(), create_ticket()
    client.force_login(other_agent.user)
    assert client.get(reverse("tickets:print", args=[ticket.pk])).status_code == 404
    ticket_merge(actor=Actor.agent(agent.user), source=Source.WEB, target=ticket, ticket_ids=[merged.pk])
    client.force_login(agent.user)
    response = client.get(reverse("tickets:print", args=[merged.pk]))
    assert response.url == reverse("tickets:print", args=[ticket.pk])


@pytest.mark.django_db
def test_the_shortcut_help_is_on_the_list_and_the_ticket_page(signed_in, create_ticket):
    ticket = create_ticket()
    for url in (reverse("tickets:list"), reverse("tickets:detail", args=[ticket.pk])):
        page = signed_in.get(url).content.decode()
        assert 'data-testid="shortcuts-help"' in page
        assert "data-kefu-help" in page
        assert "<kbd>x</kbd>" in page
        assert "<kbd>p</kbd>" in page
    assert 'id="ticket-print"' in signed_in.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
