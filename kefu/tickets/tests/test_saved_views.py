"""Saved views: the services (validation, sharing, ownership, audit) and their console pages.

A view's conditions are criteria, checked by the criteria engine: errors name the bad condition's path.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.tickets.models import Priority, SavedView, Status
from kefu.tickets.services import saved_view_create, saved_view_delete, saved_view_update
from kefu.tickets.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def _create(agent, **values):
    defaults = {"name": "紧急工单", "criteria": {"all": []}, "columns": [], "sort": ""}
    return saved_view_create(actor=Actor.agent(agent.user), source=Source.WEB, **{**defaults, **values})


def test_create_cleans_and_stores_the_view_and_audits_it(agent):
    high = Priority.objects.get(name="高")
    view = _create(
        agent,
        name="  紧急   工单 ",
        criteria={
            "all": [
                {"field": "priority", "op": "is", "value": "高"},
                {
                    "any": [
                        {"field": "assignee_id", "op": "is", "value": "me"},
                        {"field": "tags", "op": "contains", "value": " VIP "},
                    ]
                },
            ]
        },
        base="open",
        columns=["subject", "number"],
        sort="-updated_at",
    )
    view.refresh_from_db()
    assert (view.owner_id, view.name, view.is_shared, view.base) == (
        agent.user.pk,
        "紧急 工单",
        False,
        "open",
    )
    assert view.criteria == {
        "all": [
            {"field": "priority", "op": "is", "value": high.pk},
            {
                "any": [
                    {"field": "assignee_id", "op": "is", "value": "me"},
                    {"field": "tags", "op": "contains", "value": "VIP"},
                ]
            },
        ]
    }
    assert view.columns == ["number", "subject"]
    assert view.sort == "-updated_at"
    entry = AuditEntry.objects.get(action="saved_view.created")
    assert (entry.object_id, entry.actor_id, entry.source) == (view.pk, agent.user.pk, "web")


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"name": " "}, {"name": "Give the view a name."}),
        ({"name": "x" * 101}, {"name": "Enter at most 100 characters."}),
        (
            {"criteria": {"all": [{"field": "status", "op": "is", "value": "nope"}]}},
            {"criteria.all[0].value": "Unknown value nope."},
        ),
        (
            {"criteria": {"all": [{"field": "colour", "op": "is", "value": "red"}]}},
            {"criteria.all[0].field": "Unknown field."},
        ),
        (
            {"criteria": {"all": [{"any": [{"field": "created_at", "op": "on_or_after", "value": "soon"}]}]}},
            {"criteria.all[0].any[0].value": "Enter a date (YYYY-MM-DD) or a date and time."},
        ),
        (
            {"criteria": {"all": [{"field": "status", "op": "changed"}]}},
            {"criteria.all[0].op": "Choose one of: is, is_not, in, not_in, is_empty, is_not_empty."},
        ),
        (
            {"criteria": {"every": []}},
            {"criteria": 'Give a group: {"all": [conditions]} or {"any": [conditions]}.'},
        ),
        (
            {"base": "everything", "due": "later"},
            {
                "base": "Choose one of: mine, unassigned, overdue, due_today, open, closed, following, spam.",
                "due": "Choose one of: overdue, today.",
            },
        ),
        ({"columns": ["number", "secret"]}, {"columns": "Unknown columns: secret."}),
        (
            {"sort": "subject"},
            {"sort": "Choose one of: -created_at, created_at, -updated_at, updated_at, -number, number."},
        ),
        ({"is_shared": True}, {"is_shared": "Only administrators can share views with every agent."}),
    ],
)
def test_create_rejects_bad_input_and_saves_nothing(agent, values, fields):
    with pytest.raises(ValidationFailed) as raised:
        _create(agent, **values)
    assert raised.value.fields == fields
    assert SavedView.objects.count() == 0
    assert AuditEntry.objects.filter(action="saved_view.created").count() == 0


def test_administrator_may_share_a_view(admin_agent):
    assert _create(admin_agent, is_shared=True).is_shared is True


def test_only_the_owner_changes_a_private_view(agent, other_agent):
    view = _create(agent)
    with pytest.raises(NotFound):
        saved_view_update(actor=Actor.agent(other_agent.user), source=Source.WEB, view=view, name="mine now")
    with pytest.raises(NotFound):
        saved_view_delete(actor=Actor.agent(other_agent.user), source=Source.WEB, view=view)
    view.refresh_from_db()
    assert view.name == "紧急工单"


def test_a_shared_view_is_changed_only_by_its_owner_or_an_administrator(agent, admin_agent):
    shared = _create(admin_agent, is_shared=True)
    with pytest.raises(PermissionDenied):
        saved_view_delete(actor=Actor.agent(agent.user), source=Source.WEB, view=shared)
    assert SavedView.objects.filter(pk=shared.pk).exists()
    mine = _create(agent)
    saved_view_update(
        actor=Actor.agent(admin_agent.user),
        source=Source.WEB,
        view=shared,
        name="团队视图",
        is_shared=True,
    )
    shared.refresh_from_db()
    assert shared.name == "团队视图"
    entry = AuditEntry.objects.get(action="saved_view.updated")
    assert entry.changes == {"name": ["紧急工单", "团队视图"]}
    mine_id = mine.pk
    saved_view_delete(actor=Actor.agent(agent.user), source=Source.WEB, view=mine)
    assert not SavedView.objects.filter(pk=mine_id).exists()
    assert AuditEntry.objects.filter(action="saved_view.deleted", object_id=mine_id).count() == 1


# Pages


def _form_criteria(body: str) -> dict:
    found = re.search(r'name="criteria" id="id_criteria" value="([^"]*)"', body)
    assert found is not None
    return json.loads(html.unescape(found.group(1)))


def test_the_form_starts_from_the_lists_filters_as_conditions_and_saving_opens_the_view(
    client, agent, department
):
    client.force_login(agent.user)
    high = Priority.objects.get(name="高")
    form = client.get(
        reverse("tickets:view-create"),
        {
            "priority": high.pk,
            "assignee_id": "me",
            "created_after": "2026-11-01",
            "sort": "number",
            "junk": "1",
        },
    )
    assert form.status_code == 200
    body = form.content.decode()
    assert _form_criteria(body) == {
        "all": [
            {"field": "priority", "op": "is", "value": high.pk},
            {"field": "assignee_id", "op": "is", "value": "me"},
            {"field": "created_at", "op": "on_or_after", "value": "2026-11-01"},
        ]
    }
    assert 'data-testid="view-conditions"' in body
    assert "rule-builder.js" in body
    assert '<option value="number" selected>' in body
    assert 'name="is_shared"' not in body

    criteria = {"all": [{"field": "priority", "op": "is", "value": str(high.pk)}]}
    response = client.post(
        reverse("tickets:view-create"),
        {
            "name": "高优先级",
            "criteria": json.dumps(criteria),
            "sort": "number",
            "columns": ["number", "subject", "tags"],
        },
    )
    view = SavedView.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('tickets:list')}?saved={view.pk}"
    assert (view.criteria, view.columns, view.sort) == (
        {"all": [{"field": "priority", "op": "is", "value": high.pk}]},
        ["number", "subject", "tags"],
        "number",
    )

    match = TicketFactory(department=department, priority=high)
    TicketFactory(department=department)
    page = client.get(reverse("tickets:list"), {"saved": view.pk}).content.decode()
    assert [int(pk) for pk in re.findall(r'<tr data-ticket-id="(\d+)"', page)] == [match.pk]
    assert '<th scope="col">Tags</th>' in page
    # "Save as view" from a saved view starts from its conditions.
    assert f"saved={view.pk}" in re.search(r'href="/tickets/views/new/\?([^"]*)"', page).group(1)


def test_a_new_view_starts_from_a_saved_views_conditions_and_a_rules(client, agent):
    client.force_login(agent.user)
    high = Priority.objects.get(name="高")
    tagged = {"all": [{"field": "tags", "op": "contains", "value": "VIP"}]}
    saved = _create(agent, criteria=tagged)
    form = client.get(reverse("tickets:view-create"), {"saved": saved.pk, "priority": high.pk})
    assert _form_criteria(form.content.decode()) == {
        "all": [tagged["all"][0], {"field": "priority", "op": "is", "value": high.pk}]
    }
    rule = {
        "any": [
            {"field": "subject", "op": "contains", "value": "发热"},
            {"field": "tags", "op": "contains", "value": "手机"},
        ]
    }
    form = client.get(reverse("tickets:view-create"), {"criteria": json.dumps(rule)})
    assert _form_criteria(form.content.decode()) == rule


def test_a_view_saved_from_a_system_view_keeps_its_condition(client, agent, department):
    client.force_login(agent.user)
    high = Priority.objects.get(name="高")
    form = client.get(reverse("tickets:view-create"), {"view": "open", "priority": high.pk})
    assert '<option value="open" selected>' in form.content.decode()

    criteria = {"all": [{"field": "priority", "op": "is", "value": high.pk}]}
    client.post(
        reverse("tickets:view-create"),
        {"name": "未关闭高优先级", "base": "open", "criteria": json.dumps(criteria)},
    )
    view = SavedView.objects.get()
    assert (view.base, view.criteria) == ("open", criteria)

    closed = Status.objects.get(status_type="closed")
    open_ticket = TicketFactory(department=department, priority=high)
    TicketFactory(department=department, priority=high, status=closed)
    page = client.get(reverse("tickets:list"), {"saved": view.pk}).content.decode()
    assert [int(pk) for pk in re.findall(r'<tr data-ticket-id="(\d+)"', page)] == [open_ticket.pk]


def test_the_form_shows_errors_by_condition_and_saves_nothing(client, agent):
    client.force_login(agent.user)
    criteria = {
        "all": [
            {"field": "priority", "op": "is", "value": "高"},
            {"field": "status", "op": "is", "value": "nope"},
        ]
    }
    response = client.post(
        reverse("tickets:view-create"), {"name": "", "criteria": json.dumps(criteria), "columns": ["x"]}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Give the view a name." in body
    assert "Conditions: Unknown value nope." in body
    assert "Unknown columns: x." in body
    errors = re.search(r'<script id="rule-builder-errors" type="application/json">(.*?)</script>', body)
    assert json.loads(errors.group(1)) == {"criteria.all[1].value": "Unknown value nope."}
    assert _form_criteria(body) == criteria  # kept as typed, to be corrected
    assert SavedView.objects.count() == 0

    broken = client.post(reverse("tickets:view-create"), {"name": "x", "criteria": "{not json"})
    assert broken.status_code == 422
    assert "The conditions could not be read; build them again." in broken.content.decode()
    assert SavedView.objects.count() == 0


def test_the_form_is_in_chinese_for_a_chinese_agent(client, agent):
    client.force_login(agent.user)
    body = client.get(reverse("tickets:view-create"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "条件" in body
    found = re.search(r'<script id="rule-builder-catalog" type="application/json">(.*?)</script>', body)
    catalog = json.loads(found.group(1))
    assignee = next(field for field in catalog["fields"] if field["key"] == "assignee_id")
    assert assignee["choices"][0]["value"] == "me"
    assert "changed" not in {op["key"] for op in catalog["operators"]}


def test_editing_and_deleting_through_the_pages(client, agent, other_agent):
    view = _create(agent)
    client.force_login(other_agent.user)
    assert client.get(reverse("tickets:view-edit", args=[view.pk])).status_code == 404
    assert client.post(reverse("tickets:view-delete", args=[view.pk])).status_code == 404
    client.force_login(agent.user)
    edit = client.post(reverse("tickets:view-edit", args=[view.pk]), {"name": "改名", "sort": "-number"})
    assert edit.status_code == 302
    view.refresh_from_db()
    assert (view.name, view.sort) == ("改名", "-number")
    delete = client.post(reverse("tickets:view-delete", args=[view.pk]))
    assert (delete.status_code, delete["Location"]) == (302, reverse("tickets:list"))
    assert SavedView.objects.count() == 0


def test_an_agent_sees_a_shared_view_but_cannot_edit_it(client, agent, admin_agent):
    shared = _create(admin_agent, name="全部紧急", is_shared=True)
    client.force_login(agent.user)
    page = client.get(reverse("tickets:list"), {"saved": shared.pk})
    assert page.status_code == 200
    assert "全部紧急" in page.content.decode()
    assert reverse("tickets:view-edit", args=[shared.pk]) not in page.content.decode()
    assert client.get(reverse("tickets:view-edit", args=[shared.pk])).status_code == 403


# Views and rules: one set of conditions, either way


def test_a_rule_editor_offers_a_view_of_its_conditions_and_a_view_offers_a_rule(client, admin_agent):
    from kefu.automation.tests.factories import WorkflowRuleFactory

    client.force_login(admin_agent.user)
    conditions = {"any": [{"field": "subject", "op": "contains", "value": "发热"}]}
    rule = WorkflowRuleFactory(criteria=conditions)
    page = client.get(reverse("settings-workflow-edit", args=[rule.pk])).content.decode()
    link = re.search(r'href="(/tickets/views/new/\?criteria=[^"]*)" data-testid="rule-to-view"', page)
    assert link is not None
    assert _form_criteria(client.get(html.unescape(link.group(1))).content.decode()) == conditions

    view = _create(admin_agent, criteria={"all": [{"field": "tags", "op": "contains", "value": "VIP"}]})
    form = client.get(reverse("tickets:view-edit", args=[view.pk])).content.decode()
    start = re.search(r'href="(/settings/time-rules/new/\?criteria=[^"]*)"', form)
    assert start is not None
    rule_form = client.get(html.unescape(start.group(1))).content.decode()
    found = re.search(r'name="criteria"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="criteria"', rule_form)
    assert json.loads(html.unescape(found.group(1) or found.group(2))) == view.criteria

    # "me" means the agent looking at a list: a rule has none, so no rule is offered from such a view.
    mine = _create(admin_agent, criteria={"all": [{"field": "assignee_id", "op": "is", "value": "me"}]})
    assert (
        'data-testid="view-to-rule"'
        not in client.get(reverse("tickets:view-edit", args=[mine.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Conditions: Priority is High and (Assignee is me or Tags contains VIP)"),
        ("zh-hans", "条件： 优先级 是 高 且 (负责人 是 我 或 标签 包含 VIP)"),
    ],
)
def test_the_list_says_a_saved_views_conditions_in_words(client, agent, language, expected):
    criteria = {
        "all": [
            {"field": "priority", "op": "is", "value": "高"},
            {
                "any": [
                    {"field": "assignee_id", "op": "is", "value": "me"},
                    {"field": "tags", "op": "contains", "value": "VIP"},
                ]
            },
        ]
    }
    view = _create(agent, criteria=criteria)
    client.force_login(agent.user)
    page = client.get(
        reverse("tickets:list"), {"saved": view.pk}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    found = re.search(r'data-testid="view-conditions-summary">([^<]*)</p>', page)
    assert found is not None
    assert html.unescape(found.group(1)) == expected
    plain = client.get(reverse("tickets:list"), {"saved": _create(agent, name="全部").pk}).content.decode()
    assert "view-conditions-summary" not in plain
