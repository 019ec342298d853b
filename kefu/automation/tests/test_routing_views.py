"""The console pages of assignment rules, skills, macros and canned replies, and their ticket-page hooks."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kefu.automation.models import AssignmentRule, CannedReply, Macro, Skill
from kefu.automation.tests.routing_factories import (
    AssignmentRuleFactory,
    CannedReplyFactory,
    MacroFactory,
    SkillFactory,
)
from kefu.org.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def signed_in(agent) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client


@pytest.fixture
def admin(admin_agent) -> Client:
    return signed_in(admin_agent)


@pytest.mark.parametrize(
    "path",
    ["/settings/skills/", "/settings/assignment-rules/", "/settings/assignment-rules/new/"],
)
def test_administration_pages_render_for_administrators_and_refuse_agents(admin, agent, path):
    assert admin.get(path).status_code == 200
    assert signed_in(agent).get(path).status_code == 403


@pytest.mark.parametrize("path", ["/settings/macros/", "/settings/canned-replies/"])
def test_every_agent_has_the_macro_and_canned_reply_pages(agent, path):
    assert signed_in(agent).get(path).status_code == 200


def test_the_rule_form_keeps_the_agents_in_the_order_they_were_posted(admin, department, agent):
    second = AgentFactory(user__name="王芳", departments=[department])

    response = admin.post(
        "/settings/assignment-rules/new/",
        {
            "name": "售后轮流",
            "department": department.pk,
            "enabled": "on",
            "type": "round_robin",
            "agents": [second.user_id, agent.user_id],
            "fallback": "unassigned",
            "criteria": json.dumps({"all": [{"field": "subject", "op": "contains", "value": "发热"}]}),
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    rule = AssignmentRule.objects.get()
    assert [member.user_id for member in rule.members.all()] == [second.user_id, agent.user_id]
    assert rule.criteria == {"all": [{"field": "subject", "op": "contains", "value": "发热"}]}
    page = admin.get(f"/settings/assignment-rules/{rule.pk}/")
    assert page.status_code == 200
    assert page.content.decode().index("王芳") < page.content.decode().index("张伟")


def test_the_rule_form_shows_the_services_refusal_on_its_field(admin, department, other_agent):
    response = admin.post(
        "/settings/assignment-rules/new/",
        {
            "name": "x",
            "department": department.pk,
            "type": "round_robin",
            "agents": [other_agent.user_id],
            "fallback": "unassigned",
            "criteria": json.dumps({"all": [{"field": "nope", "op": "is", "value": 1}]}),
        },
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"agents", "criteria"}
    assert not AssignmentRule.objects.exists()


def test_dragging_reorders_the_departments_rules(admin, department):
    first, second = AssignmentRuleFactory(department=department), AssignmentRuleFactory(department=department)

    response = admin.post(
        "/settings/assignment-rules/reorder/",
        {"department_id": department.pk, "rule_ids": [second.pk, first.pk]},
    )

    assert response.json() == {"rule_ids": [second.pk, first.pk]}
    assert list(AssignmentRule.objects.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_the_agents_row_edits_skills_and_shares_out_open_tickets(admin, department, agent, create_ticket):
    skill = SkillFactory(name="手机维修", name_en="Phone repair")
    other = AgentFactory(user__name="李娜", departments=[department])
    AssignmentRuleFactory(department=department, agents=[agent, other])
    ticket = create_ticket(assignee_id=agent.user_id)

    page = admin.get("/settings/agents/").content.decode()
    assert f"/settings/agents/{agent.pk}/skills/" in page
    assert f"/settings/agents/{agent.pk}/share-out/" in page

    assert admin.post(f"/settings/agents/{agent.pk}/skills/", {"skills": [skill.pk]}).status_code == 302
    assert list(Skill.objects.get().agents.all()) == [agent]
    assert "Phone repair" in admin.get("/settings/agents/").content.decode()

    response = admin.post(f"/settings/agents/{agent.pk}/share-out/", follow=True)
    ticket.refresh_from_db()
    assert ticket.assignee_id == other.user_id
    assert "1 open ticket of 张伟 was shared out." in response.content.decode()


def test_an_agent_applies_a_macro_from_the_ticket_page(agent, create_ticket):
    macro = MacroFactory(name="已收到", actions=[{"type": "add_tags", "tags": ["已收到"]}])
    ticket = create_ticket()
    client = signed_in(agent)

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="ticket-macros"' in page
    assert "已收到" in page

    response = client.post(f"/tickets/{ticket.pk}/macros/apply/", {"macro_id": macro.pk})

    assert response.status_code == 302
    assert [tag.name for tag in ticket.tags.all()] == ["已收到"]
    assert Macro.objects.get().usage_count == 1


def test_the_bulk_bar_applies_a_macro_to_the_checked_tickets(agent, create_ticket):
    macro = MacroFactory(name="批量", actions=[{"type": "add_tags", "tags": ["批量"]}])
    tickets = [create_ticket() for _ in range(3)]
    client = signed_in(agent)
    assert 'data-testid="bulk-macro"' in client.get("/tickets/").content.decode()

    response = client.post(
        "/tickets/macros/apply/",
        {"macro_id": macro.pk, "ticket_ids": [t.pk for t in tickets]},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Macro “批量” was applied to 3 tickets." in response.content.decode()
    assert response["HX-Trigger"] == "kefu-list-refresh"
    assert all([tag.name for tag in t.tags.all()] == ["批量"] for t in tickets)


def test_the_reply_editor_finds_and_inserts_canned_replies(agent, create_ticket):
    reply = CannedReplyFactory(
        title="退款流程", shortcut="refund", body="{{ contact.name }}您好,退款三天到账。"
    )
    CannedReplyFactory(title="发票", shortcut="invoice")
    ticket = create_ticket()
    client = signed_in(agent)

    found = client.get(f"/tickets/{ticket.pk}/canned-replies/", {"q": "ref"}).json()
    inserted = client.post(f"/tickets/{ticket.pk}/canned-replies/{reply.pk}/insert/").json()

    assert [item["title"] for item in found["items"]] == ["退款流程"]
    assert inserted == {"body": "王芳您好,退款三天到账。"}
    assert CannedReply.objects.get(pk=reply.pk).usage_count == 1
    assert (
        'data-canned-picker data-editor="reply-editor"'
        in client.get(f"/tickets/{ticket.pk}/").content.decode()
    )


def test_settings_pages_add_a_personal_macro_and_a_canned_reply(agent, department):
    client = signed_in(agent)

    macro = client.post(
        "/settings/macros/",
        {
            "name": "我的宏",
            "department": "",
            "actions": json.dumps([{"type": "comment", "body": "已跟进 {{ ticket.number }}"}]),
        },
    )
    canned = client.post(
        "/settings/canned-replies/",
        {
            "title": "问候",
            "shortcut": "hi",
            "language": "zh-hans",
            "department": department.pk,
            "body": "您好!",
        },
    )

    assert (macro.status_code, canned.status_code) == (302, 302)
    assert Macro.objects.get().owner_id == agent.user_id
    assert not Macro.objects.get().shared
    assert CannedReply.objects.get().owner_id == agent.user_id
