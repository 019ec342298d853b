"""Ticket types: the editable catalogue, the field on tickets (service, API, console), its filter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kefu.core.actors import Actor, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.tickets.models import TicketEvent, TicketType
from kefu.tickets.services import ticket_type_create, ticket_type_update, ticket_update
from kefu.tickets.tests.factories import SavedViewFactory, TicketFactory
from tests.helpers import error_of

URL = "/api/v1/tickets"


@pytest.fixture
def api_client_for(api_client_for):
    """API clients that ask for English, whatever the key owner's language."""

    def make(agent):
        client = api_client_for(agent)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


SEEDED = [
    ("咨询", "Question"),
    ("问题", "Problem"),
    ("服务请求", "Request"),
    ("事件", "Incident"),
    ("其他", "Others"),
]


def kind(name: str) -> TicketType:
    return TicketType.objects.get(name=name)


@pytest.mark.django_db
def test_the_defaults_are_seeded_in_both_languages_without_a_default():
    rows = list(TicketType.objects.order_by("order").values_list("name", "name_en", "is_default"))
    assert rows == [(name, name_en, False) for name, name_en in SEEDED]


@pytest.mark.django_db
def test_an_administrator_adds_a_default_type_and_can_take_the_mark_away(admin_agent):
    actor = Actor.agent(admin_agent.user)
    row = ticket_type_create(
        actor=actor, source=Source.WEB, name=" 退换货 ", name_en="Return", order=7, is_default=True
    )
    assert (row.name, row.name_en, row.order, row.is_default) == ("退换货", "Return", 7, True)
    assert AuditEntry.objects.filter(action="ticket_type.created", object_id=row.pk).count() == 1
    problem = kind("问题").pk
    other = ticket_type_update(
        actor=actor, source=Source.WEB, type_id=problem, name="问题", name_en="Problem", is_default=True
    )
    row.refresh_from_db()
    assert (other.is_default, row.is_default) == (True, False)
    # Unlike statuses and priorities, a type is optional: the only default may lose its mark.
    other = ticket_type_update(
        actor=actor, source=Source.WEB, type_id=other.pk, name="问题", name_en="Problem", is_default=False
    )
    assert TicketType.objects.filter(is_default=True).count() == 0


@pytest.mark.django_db
def test_bad_input_names_every_field_and_an_agent_may_not_edit_the_list(admin_agent, agent):
    with pytest.raises(ValidationFailed) as caught:
        ticket_type_create(
            actor=Actor.agent(admin_agent.user), source=Source.WEB, name=" ", order=-1, is_default=True,
            is_active=False,
        )  # fmt: skip
    assert set(caught.value.fields) == {"name", "order", "is_active"}
    with pytest.raises(PermissionDenied):
        ticket_type_create(actor=Actor.agent(agent.user), source=Source.WEB, name="退换货")
    assert not TicketType.objects.filter(name="退换货").exists()


@pytest.mark.django_db
def test_a_new_ticket_gets_the_default_type_and_a_change_is_logged(create_ticket, agent, admin_agent):
    assert create_ticket().type is None
    default = kind("咨询")
    TicketType.objects.filter(pk=default.pk).update(is_default=True)
    ticket = create_ticket()
    assert ticket.type == default
    ticket = ticket_update(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"type": "Incident"}
    )
    assert ticket.type == kind("事件")
    event = TicketEvent.objects.get(ticket=ticket, field="type")
    assert (event.old_value, event.new_value) == (
        {"id": default.pk, "name": "咨询"},
        {"id": kind("事件").pk, "name": "事件"},
    )
    ticket = ticket_update(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"type": None}
    )
    assert ticket.type is None


@pytest.mark.django_db
def test_the_api_reads_writes_and_filters_by_type(api, department, create_ticket):
    payload = {"subject": "退货", "description": "想退货", "department_id": department.pk}
    created = api.post_json(URL, {**payload, "contact": {"email": "li@example.cn"}, "type": "问题"})
    assert created.status_code == 201, created.content
    assert (created.json()["type"], created.json()["type_id"]) == ("问题", kind("问题").pk)
    other = create_ticket()
    patched = api.patch_json(f"{URL}/{other.pk}", {"type_id": kind("事件").pk})
    assert (patched.json()["type"], patched.json()["type_id"]) == ("事件", kind("事件").pk)
    untyped = create_ticket()

    def found(value: str) -> list[int]:
        return [item["id"] for item in api.get(URL, {"type": value}).json()["items"]]

    assert found("Problem") == [created.json()["id"]]
    assert found(str(kind("事件").pk)) == [other.pk]
    assert found("none") == [untyped.pk]
    assert error_of(api.get(URL, {"type": "没有"}), 422)["fields"] == {"type": "Unknown ticket type."}


@pytest.mark.django_db
def test_an_unknown_type_is_422_beside_the_other_bad_fields(api, create_ticket):
    ticket = create_ticket()
    error = error_of(api.patch_json(f"{URL}/{ticket.pk}", {"type": "没有", "priority": "没有"}), 422)
    assert error["fields"] == {"type": "Unknown ticket type.", "priority": "Unknown priority."}
    assert TicketFactory._meta.model.objects.get(pk=ticket.pk).type is None


@pytest.mark.django_db
def test_the_catalogue_endpoints(api, api_client_for, admin_agent):
    listed = api.get("/api/v1/ticket-types")
    assert [(row["name"], row["name_en"]) for row in listed.json()] == SEEDED
    denied = error_of(api.post_json("/api/v1/ticket-types", {"name": "退换货"}), 403)
    assert denied["code"] == "permission_denied"
    admin = api_client_for(admin_agent)
    created = admin.post_json("/api/v1/ticket-types", {"name": "退换货", "name_en": "Return", "order": 9})
    assert created.status_code == 201, created.content
    row_id = created.json()["id"]
    assert created.json() == {
        "id": row_id,
        "name": "退换货",
        "name_en": "Return",
        "order": 9,
        "is_default": False,
        "is_active": True,
    }
    changed = admin.put(
        f"/api/v1/ticket-types/{row_id}",
        {"name": "退换货", "name_en": "Return", "order": 9, "is_active": False},
        content_type="application/json",
    )
    assert changed.json()["is_active"] is False
    assert "退换货" not in [row["name"] for row in api.get("/api/v1/ticket-types").json()]
    assert "退换货" in [row["name"] for row in api.get("/api/v1/ticket-types?all=true").json()]
    bad = error_of(admin.post_json("/api/v1/ticket-types", {"name": "咨询", "order": -3}), 422)
    assert set(bad["fields"]) == {"order"}


@pytest.mark.django_db
def test_console_settings_page_property_panel_and_list_column(client, admin_agent, agent, create_ticket):
    client.force_login(admin_agent.user)
    page = client.get(reverse("settings-types"))
    assert page.status_code == 200
    assert "服务请求" in page.content.decode()
    added = client.post(reverse("settings-types"), {"name": "投诉", "name_en": "Complaint", "order": 6})
    assert added.status_code == 302
    assert TicketType.objects.filter(name="投诉", name_en="Complaint").exists()
    client.force_login(agent.user)
    assert client.get(reverse("settings-types")).status_code == 403
    ticket = create_ticket()
    response = client.post(
        reverse("tickets:property", args=[ticket.pk]), {"field": "type", "value": str(kind("问题").pk)}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.type == kind("问题")
    saved = SavedViewFactory(
        owner=agent.user,
        columns=["number", "type"],
        criteria={"all": [{"field": "type", "op": "is", "value": kind("问题").pk}]},
    )
    listing = client.get(reverse("tickets:list"), {"saved": saved.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f'href="/tickets/{ticket.pk}/"' in listing.content.decode()
    assert "<td>问题</td>" in listing.content.decode()
