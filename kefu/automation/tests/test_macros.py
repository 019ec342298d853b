"""Macros: placeholders filled safely, one transaction per ticket, permissions, usage counted, and the
``apply_macro`` and ``assign``-by-rule actions that workflow rules use."""

from __future__ import annotations

import pytest

from kefu.automation.actions import ActionContext, clean_actions, get_action
from kefu.automation.macros.inputs import MacroInput
from kefu.automation.macros.placeholders import render, unknown_placeholders
from kefu.automation.macros.services import macro_apply, macro_apply_bulk, macro_create
from kefu.automation.models import Macro
from kefu.automation.tests.routing_factories import AssignmentRuleFactory, MacroFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.models import Comment, Thread, TicketEvent

pytestmark = pytest.mark.django_db

RECEIVED = [
    {"type": "reply", "body": "{{ contact.name }}您好,工单 {{ ticket.number }} 已收到。—— {{ agent.name }}"},
    {"type": "set_field", "field": "priority", "value": "高"},
    {"type": "add_tags", "tags": ["已收到"]},
    {"type": "comment", "body": "{{ agent.name }} 用宏回复了"},
]


def test_placeholders_fill_only_the_listed_values(create_ticket, agent):
    ticket = create_ticket()

    text = render(
        "{{ contact.name }}/{{ ticket.number }}/{{ agent.name }}/{{ ticket.contact.user.password }}/{{x}}",
        ticket=ticket,
        agent=agent.user,
    )

    assert text == f"王芳/#{ticket.number}/张伟/{{{{ ticket.contact.user.password }}}}/{{{{x}}}}"
    assert unknown_placeholders("{{ contact.name }} {{ ticket.__class__ }} {% load x %}") == [
        "{{ ticket.__class__ }}"
    ]


def test_a_placeholder_value_is_written_not_rendered_in_an_html_reply(create_ticket, agent):
    ticket = create_ticket()
    ticket.contact.name = "<b>王芳</b>"
    ticket.contact.save()
    macro = macro_create(
        actor=Actor.system(),
        source=Source.IMPORT,
        data=MacroInput(name="问候", actions=[{"type": "reply", "body": "<p>{{ contact.name }}您好</p>"}]),
    )

    macro_apply(actor=Actor.agent(agent.user), source=Source.WEB, macro_id=macro.pk, ticket_id=ticket.pk)

    reply = Thread.objects.get(ticket=ticket, direction=Thread.Direction.OUTBOUND)
    assert "&lt;b&gt;王芳&lt;/b&gt;您好" in reply.body_html
    assert reply.body_text == "<b>王芳</b>您好"


def test_an_agent_applies_a_macro_reply_fields_tags_and_comment_as_themselves(create_ticket, agent):
    macro = macro_create(
        actor=Actor.system(), source=Source.IMPORT, data=MacroInput(name="已收到", actions=RECEIVED)
    )
    ticket = create_ticket()

    macro_apply(actor=Actor.agent(agent.user), source=Source.WEB, macro_id=macro.pk, ticket_id=ticket.pk)

    ticket.refresh_from_db()
    reply = Thread.objects.get(ticket=ticket, direction=Thread.Direction.OUTBOUND)
    assert reply.body_text == f"王芳您好,工单 #{ticket.number} 已收到。—— 张伟"
    assert ticket.priority.name == "高"
    assert [tag.name for tag in ticket.tags.all()] == ["已收到"]
    assert Comment.objects.get(ticket=ticket).body_text == "张伟 用宏回复了"
    changed = TicketEvent.objects.filter(ticket=ticket, field="priority").get()
    assert (changed.actor_kind, changed.actor_id, changed.source) == ("agent", agent.user_id, "web")
    macro.refresh_from_db()
    assert macro.usage_count == 1
    assert macro.last_used_at is not None


def test_a_refused_action_undoes_the_macro_on_that_ticket(create_ticket, light_agent):
    macro = MacroFactory(
        actions=[
            {"type": "add_tags", "tags": ["先加"]},
            {"type": "set_field", "field": "priority", "value": "高"},
        ]
    )
    ticket = create_ticket()

    with pytest.raises(PermissionDenied):
        macro_apply(
            actor=Actor.agent(light_agent.user), source=Source.WEB, macro_id=macro.pk, ticket_id=ticket.pk
        )

    assert not ticket.tags.exists()
    assert Macro.objects.get().usage_count == 0


def test_another_departments_macro_and_another_agents_personal_macro_are_unknown(
    create_ticket, agent, other_department
):
    theirs = MacroFactory(department=other_department)
    personal = MacroFactory(shared=False, owner=AgentFactory().user)
    general = MacroFactory(department=None)
    ticket = create_ticket()

    for macro in (theirs, personal):
        with pytest.raises(NotFound):
            macro_apply(
                actor=Actor.agent(agent.user), source=Source.WEB, macro_id=macro.pk, ticket_id=ticket.pk
            )
    macro_apply(actor=Actor.agent(agent.user), source=Source.WEB, macro_id=general.pk, ticket_id=ticket.pk)
    assert Macro.objects.get(pk=general.pk).usage_count == 1


def test_only_administrators_share_macros(agent, admin_agent, department):
    data = MacroInput(
        name="共享", department_id=department.pk, shared=True, actions=[{"type": "add_tags", "tags": ["x"]}]
    )

    with pytest.raises(PermissionDenied):
        macro_create(actor=Actor.agent(agent.user), source=Source.WEB, data=data)
    shared = macro_create(actor=Actor.agent(admin_agent.user), source=Source.WEB, data=data)
    personal = macro_create(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        data=MacroInput(name="我的", shared=False, actions=data.actions),
    )

    assert (shared.owner_id, personal.owner_id) == (None, agent.user_id)


def test_bad_macros_name_every_bad_action(admin_agent):
    with pytest.raises(ValidationFailed) as refused:
        macro_create(
            actor=Actor.agent(admin_agent.user),
            source=Source.WEB,
            data=MacroInput(
                name="",
                actions=[
                    {"type": "reply", "body": "{{ ticket.contact.password }}"},
                    {"type": "fly"},
                    {"type": "apply_macro", "macro_id": 1},
                    {"type": "set_field", "field": "priority", "value": "极高"},
                ],
            ),
        )

    assert set(refused.value.fields) == {
        "name",
        "actions[0].body",
        "actions[1].type",
        "actions[2].type",
        "actions[2].macro_id",
        "actions[3].value",
    }


def test_a_selection_reports_per_ticket(create_ticket, agent, other_department):
    macro = MacroFactory(actions=[{"type": "add_tags", "tags": ["批量"]}])
    mine = [create_ticket(), create_ticket()]
    theirs = create_ticket(department_id=other_department.pk)

    result = macro_apply_bulk(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        macro_id=macro.pk,
        ticket_ids=[t.pk for t in [*mine, theirs]],
    )

    assert result.applied == [mine[0].pk, mine[1].pk]
    assert result.failed == {theirs.pk: "No such ticket."}
    assert Macro.objects.get().usage_count == 2


def test_a_workflow_rule_applies_a_shared_macro_and_assigns_by_an_assignment_rule(
    create_ticket, department, agent
):
    macro = MacroFactory(actions=[{"type": "add_tags", "tags": ["自动"]}])
    rule = AssignmentRuleFactory(department=department, agents=[agent], enabled=False)
    actions, errors = clean_actions(
        [{"type": "apply_macro", "macro_id": macro.pk}, {"type": "assign", "assignment_rule_id": rule.name}]
    )
    assert errors == {}
    assert actions == [
        {"type": "apply_macro", "macro_id": macro.pk},
        {"type": "assign", "assignment_rule_id": rule.pk},
    ]
    ticket = create_ticket()
    context = ActionContext(actor=Actor.rule(99, "热门"))

    assert get_action("assign").plan(ticket, actions[1]) == [
        {"field": "assignee_id", "old": None, "new": agent.user_id}
    ]
    for action in actions:
        get_action(action["type"]).apply(ticket, action, context)

    ticket.refresh_from_db()
    assert [tag.name for tag in ticket.tags.all()] == ["自动"]
    assert ticket.assignee_id == agent.user_id
    assert TicketEvent.objects.get(ticket=ticket, field="assignee").actor_name == "热门"
    _, bad = clean_actions(
        [{"type": "assign", "assignment_rule_id": 999_999}, {"type": "apply_macro", "macro_id": 0}]
    )
    assert set(bad) == {"actions[0].assignment_rule_id", "actions[1].macro_id"}
