"""Saved views: the services (validation, sharing, ownership, audit) and their console pages."""

from __future__ import annotations

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
    defaults = {"name": "紧急工单", "filters": {}, "columns": [], "sort": ""}
    return saved_view_create(actor=Actor.agent(agent.user), source=Source.WEB, **{**defaults, **values})


def test_create_cleans_and_stores_the_view_and_audits_it(agent):
    high = Priority.objects.get(name="高")
    view = _create(
        agent,
        name="  紧急   工单 ",
        filters={"priority": str(high.pk), "assignee_id": "me", "q": ""},
        columns=["subject", "number"],
        sort="-updated_at",
    )
    view.refresh_from_db()
    assert (view.owner_id, view.name, view.is_shared) == (agent.user.pk, "紧急 工单", False)
    assert view.filters == {"priority": str(high.pk), "assignee_id": "me"}
    assert view.columns == ["number", "subject"]
    assert view.sort == "-updated_at"
    entry = AuditEntry.objects.get(action="saved_view.created")
    assert (entry.object_id, entry.actor_id, entry.source) == (view.pk, agent.user.pk, "web")


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"name": " "}, {"name": "Give the view a name."}),
        ({"name": "x" * 101}, {"name": "Enter at most 100 characters."}),
        ({"filters": {"status": "nope"}}, {"filters.status": "Unknown status."}),
        ({"filters": {"colour": "red"}}, {"filters.__all__": "Unknown filters: colour."}),
        ({"filters": {"created_after": "soon"}}, {"filters.created_after": "Enter a date as YYYY-MM-DD."}),
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
        saved_view_update(
            actor=Actor.agent(other_agent.user), source=Source.WEB, view=view, name="mine now", filters={}
        )
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
        filters={},
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


def test_the_form_is_prefilled_from_the_list_and_saving_opens_the_view(client, agent, department):
    client.force_login(agent.user)
    high = Priority.objects.get(name="高")
    form = client.get(reverse("tickets:view-create"), {"priority": high.pk, "sort": "number", "junk": "1"})
    assert form.status_code == 200
    body = form.content.decode()
    assert f'<option value="{high.pk}" selected>' in body
    assert '<option value="number" selected>' in body
    assert 'name="is_shared"' not in body

    response = client.post(
        reverse("tickets:view-create"),
        {"name": "高优先级", "priority": high.pk, "sort": "number", "columns": ["number", "subject", "tags"]},
    )
    view = SavedView.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('tickets:list')}?saved={view.pk}"
    assert (view.filters, view.columns, view.sort) == (
        {"priority": str(high.pk)},
        ["number", "subject", "tags"],
        "number",
    )

    match = TicketFactory(department=department, priority=high)
    TicketFactory(department=department)
    page = client.get(reverse("tickets:list"), {"saved": view.pk}).content.decode()
    assert [int(pk) for pk in re.findall(r'<tr data-ticket-id="(\d+)"', page)] == [match.pk]
    assert '<th scope="col">Tags</th>' in page


def test_a_view_saved_from_a_system_view_keeps_its_condition(client, agent, department):
    client.force_login(agent.user)
    high = Priority.objects.get(name="高")
    form = client.get(reverse("tickets:view-create"), {"view": "open", "priority": high.pk})
    assert '<option value="open" selected>' in form.content.decode()

    client.post(
        reverse("tickets:view-create"), {"name": "未关闭高优先级", "base": "open", "priority": high.pk}
    )
    view = SavedView.objects.get()
    assert view.filters == {"base": "open", "priority": str(high.pk)}

    closed = Status.objects.get(status_type="closed")
    open_ticket = TicketFactory(department=department, priority=high)
    TicketFactory(department=department, priority=high, status=closed)
    page = client.get(reverse("tickets:list"), {"saved": view.pk}).content.decode()
    assert [int(pk) for pk in re.findall(r'<tr data-ticket-id="(\d+)"', page)] == [open_ticket.pk]


def test_an_unknown_base_view_is_refused(agent):
    with pytest.raises(ValidationFailed) as excinfo:
        _create(agent, filters={"base": "everything"})
    assert set(excinfo.value.fields) == {"filters.base"}


def test_the_form_shows_errors_and_saves_nothing(client, agent):
    client.force_login(agent.user)
    response = client.post(reverse("tickets:view-create"), {"name": "", "status": "nope", "columns": ["x"]})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Give the view a name." in body
    assert "Status: Unknown status." in body
    assert "Unknown columns: x." in body
    assert SavedView.objects.count() == 0


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
