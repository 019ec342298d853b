"""Settings → SLA policies and the SLA badge and card in the console, in both languages."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import PASSWORD, AgentFactory
from kefu.sla.models import SlaPolicy
from kefu.sla.tests.policy_factories import office_calendar, policy_with
from kefu.tickets.models import Priority
from kefu.tickets.services import ticket_set_status

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def admin_client(client, department):
    admin = AgentFactory(
        user__email="lin.admin@kefu.test", role_key="administrator", departments=[department]
    )
    client.login(email=admin.user.email, password=PASSWORD)
    return client


@pytest.fixture
def agent_client(client, agent):
    client.login(email=agent.user.email, password=PASSWORD)
    return client


def form(department, **fields):
    high = Priority.objects.get(name="高")
    data = {
        "name": "标准服务",
        "department_id": str(department.pk),
        "business_hours_id": "",
        "enabled": "on",
        "criteria": json.dumps({"all": []}),
        f"first_response_{high.pk}": "60",
        f"resolution_{high.pk}": "240",
        f"business_time_{high.pk}": "on",
        "escalation_target": ["resolution", ""],
        "escalation_offset": ["0", ""],
        "escalation_actions": [json.dumps([{"type": "comment", "body": "已超时"}]), ""],
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(("language", "title"), [("en", "SLA policies"), ("zh-hans", "服务级别策略")])
def test_the_list_in_both_languages(admin_client, department, language, title):
    policy_with(department, name="标准服务")
    admin_client.cookies["django_language"] = language
    response = admin_client.get(reverse("sla:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert title in page
    assert "标准服务" in page


def test_create_a_policy_from_the_form(admin_client, department):
    response = admin_client.post(reverse("sla:new"), form(department))
    assert response.status_code == 302
    policy = SlaPolicy.objects.get()
    target = policy.targets.get()
    assert (target.priority.name, target.first_response_minutes, target.resolution_minutes) == ("高", 60, 240)
    assert target.business_time is True
    assert list(policy.escalations.values_list("target", "offset_minutes", "actions")) == [
        ("resolution", 0, [{"type": "comment", "body": "已超时"}])
    ]
    edit = admin_client.get(reverse("sla:edit", args=[policy.pk]))
    assert edit.status_code == 200
    assert 'value="240"' in edit.content.decode()


def test_bad_input_shows_form_errors(admin_client, department):
    high = Priority.objects.get(name="高")
    response = admin_client.post(
        reverse("sla:new"),
        form(
            department,
            name="",
            **{f"resolution_{high.pk}": "0"},
            escalation_actions=['[{"type": "nope"}]', ""],
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required." in page
    assert "Enter a whole number of minutes from 1 to 527040." in page
    assert not SlaPolicy.objects.exists()


def test_reorder_with_the_arrows(admin_client, department):
    first = policy_with(department, name="一", order=0)
    second = policy_with(department, name="二", order=1)
    admin_client.post(reverse("sla:move", args=[second.pk]), {"direction": "up"})
    assert list(SlaPolicy.objects.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_agents_without_the_settings_right_are_refused(agent_client, department):
    assert agent_client.get(reverse("sla:list")).status_code == 403
    assert agent_client.post(reverse("sla:new"), form(department)).status_code == 403
    assert not SlaPolicy.objects.exists()


@pytest.mark.parametrize(
    ("language", "left", "paused"),
    [
        ("en", "1 h 20 min left (business hours)", "paused"),
        ("zh-hans", "剩余 1 小时 20 分钟（工作时间）", "已暂停"),
    ],
)
def test_the_badge_on_the_list_and_the_card_on_the_ticket(
    agent_client, agent, department, create_ticket, language, left, paused
):
    office_calendar(department)
    policy = policy_with(department, name="标准服务", first_response=None, resolution=240)
    with time_machine.travel(local(7, 10), tick=False):
        ticket = create_ticket(priority="高")
    agent_client.cookies["django_language"] = language
    with time_machine.travel(local(7, 12, 40), tick=False):
        listing = agent_client.get(reverse("tickets:list"), {"view": "open"})
        card = agent_client.get(reverse("sla:ticket-card", args=[ticket.pk]))
    assert left in listing.content.decode()
    assert left in card.content.decode()
    assert policy.name in card.content.decode()
    with time_machine.travel(local(7, 13), tick=False):
        ticket_set_status(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, status="搁置")
        card = agent_client.get(reverse("sla:ticket-card", args=[ticket.pk]))
    assert f">{paused}<" in card.content.decode()


def test_the_card_of_a_ticket_the_agent_cannot_see_is_404(agent_client, other_department, create_ticket):
    ticket = create_ticket(department_id=other_department.pk)
    assert agent_client.get(reverse("sla:ticket-card", args=[ticket.pk])).status_code == 404
