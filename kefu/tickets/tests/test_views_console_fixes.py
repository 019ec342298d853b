"""Console fixes of issue 14: compact list and bulk bar, relative times, replying to a closed ticket."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.models import Status, Thread, Ticket
from kefu.tickets.services import ticket_set_status

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


@pytest.mark.django_db
def test_bulk_bar_is_hidden_until_a_selection_and_knows_each_agents_departments(
    signed_in, agent, department, other_department, admin_agent, create_ticket
):
    colleague = AgentFactory(user__name="李娜", departments=[department])
    elsewhere = AgentFactory(user__name="陈晨", departments=[other_department])
    supervisor = AgentFactory(user__name="周洁", role_key="supervisor", departments=[department])
    ticket = create_ticket(assignee_id=agent.user.pk)
    page = signed_in.get(reverse("tickets:list")).content.decode()
    assert re.search(r'<form id="bulk-form" class="[^"]*" hidden', page)
    assert f'data-ticket-id="{ticket.pk}" data-department-id="{department.pk}"' in page
    options = dict(re.findall(r'<option value="(\d+)" data-departments="([^"]*)"', page))
    assert options[str(colleague.user_id)] == str(department.pk)
    assert options[str(agent.user_id)] == str(department.pk)
    # An agent who sees only another department is not even listed to this agent.
    assert str(elsewhere.user_id) not in options
    assert options[str(supervisor.user_id)] == str(department.pk)
    admin_page = signed_in.get(reverse("tickets:list"))
    assert admin_page.status_code == 200
    signed_in.force_login(admin_agent.user)
    options = dict(
        re.findall(
            r'<option value="(\d+)" data-departments="([^"]*)"',
            signed_in.get(reverse("tickets:list")).content.decode(),
        )
    )
    assert options[str(admin_agent.user_id)] == "all"
    assert options[str(elsewhere.user_id)] == str(other_department.pk)


@pytest.mark.django_db
def test_the_list_shows_relative_times_with_the_exact_time_on_hover(signed_in, agent, create_ticket):
    ticket = create_ticket(assignee_id=agent.user.pk)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=3, seconds=5))
    page = signed_in.get(reverse("tickets:list")).content.decode()
    assert re.search(r'<time datetime="[^"]+" title="\w{3} \d+, \d{4} \d\d:\d\d">3 min ago</time>', page)
    chinese = signed_in.get(reverse("tickets:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert re.search(r'<time datetime="[^"]+" title="\d{4}-\d\d-\d\d \d\d:\d\d">3 分钟前</time>', chinese)


@pytest.mark.django_db
def test_replying_to_a_closed_ticket_warns_and_offers_an_open_status(signed_in, agent, create_ticket):
    ticket = create_ticket(assignee_id=agent.user.pk)
    closed = Status.objects.get(name="已关闭")
    ticket_set_status(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, status=closed.pk)
    page = signed_in.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'data-testid="reply-closed-warning"' in page
    first_open = Status.objects.filter(status_type="open").order_by("order", "id").first()
    assert re.search(rf'<option value="{first_open.pk}" selected>', page)


@pytest.mark.django_db
def test_send_and_set_status_in_one_step(signed_in, agent, create_ticket):
    ticket = create_ticket(assignee_id=agent.user.pk)
    closed = Status.objects.get(name="已关闭")
    ticket_set_status(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, status=closed.pk)
    working = Status.objects.get(name="处理中")
    response = signed_in.post(
        reverse("tickets:reply", args=[ticket.pk]),
        {"body": "<p>已为您重新处理。</p>", "then_status": str(working.pk)},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status_id, ticket.closed_at) == (working.pk, None)
    assert Thread.objects.filter(ticket=ticket, direction="out").count() == 1


@pytest.mark.django_db
def test_a_refused_status_sends_no_reply(signed_in, agent, create_ticket):
    ticket = create_ticket(assignee_id=agent.user.pk)
    response = signed_in.post(
        reverse("tickets:reply", args=[ticket.pk]),
        {"body": "<p>好的</p>", "then_status": "no-such-status"},
        **HTMX,
    )
    assert response.status_code == 422
    assert Thread.objects.filter(ticket=ticket, direction="out").count() == 0
    assert 'class="form-select w-auto is-invalid"' in response.content.decode()


@pytest.mark.django_db
def test_without_a_status_the_reply_leaves_it(signed_in, agent, create_ticket):
    ticket = create_ticket(assignee_id=agent.user.pk)
    before = Ticket.objects.get(pk=ticket.pk).status_id
    page = signed_in.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'data-testid="reply-closed-warning"' not in page
    signed_in.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "<p>收到</p>", "then_status": ""})
    assert Ticket.objects.get(pk=ticket.pk).status_id == before
