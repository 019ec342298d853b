"""Console pages of modules: the list with filters and saved views, a record with its tickets, the form,
the ticket-page panel and the settings pages (field builder, access per role)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.contacts.tests.factories import ContactFactory
from kefu.modules.models import CustomModule, ModuleField, ModuleRoleAccess, Record, RecordLink, RecordView
from kefu.modules.tests.factories import record, vehicles_module

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


@pytest.fixture
def vehicles(db):
    return vehicles_module()


def test_list_filters_and_searches(signed_in, vehicles):
    record(plate="沪A·11111", make="丰田", model="Corolla")
    record(plate="沪B·22222", make="大众", model="Golf")
    page = signed_in.get("/modules/vehicles/").content.decode()
    assert "沪A·11111" in page
    assert "沪B·22222" in page
    filtered = signed_in.get("/modules/vehicles/", {"f_make": "大众"}, **HTMX).content.decode()
    assert "沪B·22222" in filtered
    assert "沪A·11111" not in filtered
    assert 'data-testid="record-table"' in filtered
    assert "<html" not in filtered
    searched = signed_in.get("/modules/vehicles/", {"q": "corolla"}).content.decode()
    assert "沪A·11111" in searched
    assert "沪B·22222" not in searched


def test_list_query_count_does_not_grow_with_records(signed_in, vehicles):
    contact = ContactFactory()
    record(plate="沪A·1", customer=contact.pk)

    def count() -> int:
        signed_in.get("/modules/vehicles/")
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get("/modules/vehicles/").status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        record(plate=f"沪C·{n}", customer=ContactFactory().pk)
    assert count() == before


def test_saved_view_keeps_the_filters(signed_in, agent, vehicles):
    record(plate="沪A·1", make="丰田")
    record(plate="沪B·2", make="大众")
    response = signed_in.post("/modules/vehicles/views/", {"name": "丰田车", "f_make": "丰田", "q": ""})
    view = RecordView.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/modules/vehicles/?view={view.pk}"
    assert view.filters == {"make": "丰田"}
    assert view.owner == agent.user
    page = signed_in.get(f"/modules/vehicles/?view={view.pk}").content.decode()
    assert "沪A·1" in page
    assert "沪B·2" not in page
    signed_in.post(f"/modules/vehicles/views/{view.pk}/delete/")
    assert not RecordView.objects.exists()


def test_create_edit_and_errors_on_the_form(signed_in, vehicles):
    response = signed_in.post("/modules/vehicles/new/", {"v_make": "丰田"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Record.objects.exists()
    response = signed_in.post(
        "/modules/vehicles/new/", {"v_plate": "沪A·9", "v_make": "丰田", "v_state": "空闲"}
    )
    car = Record.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/modules/vehicles/{car.pk}/"
    assert car.values == {"plate": "沪A·9", "make": "丰田", "state": "空闲"}
    signed_in.post(f"/modules/vehicles/{car.pk}/edit/", {"v_plate": "沪A·9", "v_make": "大众"})
    car.refresh_from_db()
    assert car.values == {"plate": "沪A·9", "make": "大众"}


def test_record_page_lists_its_visible_tickets(signed_in, vehicles, create_ticket, other_department):
    ticket = create_ticket(subject="车辆抛锚")
    hidden = create_ticket(subject="别的部门的工单", department_id=other_department.pk)
    car = record(plate="沪A·1")
    field = ModuleField.objects.get(key="breakdowns")
    RecordLink.objects.create(record=car, field=field, target_type="ticket", target_id=ticket.pk)
    RecordLink.objects.create(record=car, field=field, target_type="ticket", target_id=hidden.pk)
    page = signed_in.get(f"/modules/vehicles/{car.pk}/").content.decode()
    assert "车辆抛锚" in page
    assert "别的部门的工单" not in page


def test_ticket_panel_picks_a_record(signed_in, vehicles, create_ticket):
    ticket = create_ticket(subject="车辆抛锚")
    car = record(plate="沪A·1")
    ticket_page = signed_in.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'hx-get="/modules/ticket/{ticket.pk}/"' in ticket_page
    panel = signed_in.get(f"/modules/ticket/{ticket.pk}/").content.decode()
    assert "Vehicles · Breakdowns" in panel
    assert f'<option value="{car.pk}"' in panel
    response = signed_in.post(
        f"/modules/ticket/{ticket.pk}/set/", {"module": "vehicles", "field": "breakdowns", "record": car.pk}
    )
    assert 'data-testid="ticket-record-link"' in response.content.decode()
    assert list(RecordLink.objects.filter(target_type="ticket").values_list("record_id", "target_id")) == [
        (car.pk, ticket.pk)
    ]
    signed_in.post(
        f"/modules/ticket/{ticket.pk}/set/", {"module": "vehicles", "field": "breakdowns", "record": ""}
    )
    assert not RecordLink.objects.filter(target_type="ticket").exists()


def test_ticket_panel_of_another_departments_ticket_is_a_404(
    signed_in, vehicles, create_ticket, other_department
):
    hidden = create_ticket(department_id=other_department.pk)
    car = record(plate="沪A·1")
    assert signed_in.get(f"/modules/ticket/{hidden.pk}/").status_code == 404
    response = signed_in.post(
        f"/modules/ticket/{hidden.pk}/set/", {"module": "vehicles", "field": "breakdowns", "record": car.pk}
    )
    assert response.status_code == 404
    assert not RecordLink.objects.filter(target_type="ticket").exists()


def test_light_agent_reads_but_does_not_write(client, light_agent, vehicles, create_ticket):
    client.force_login(light_agent.user)
    car = record(plate="沪A·1")
    assert client.get(f"/modules/vehicles/{car.pk}/").status_code == 200
    assert client.get("/modules/vehicles/new/").status_code == 403
    assert client.post(f"/modules/vehicles/{car.pk}/delete/").status_code == 403
    ticket = create_ticket()
    panel = client.get(f"/modules/ticket/{ticket.pk}/").content.decode()
    assert "沪A·1" not in panel
    assert "<select" not in panel


def test_settings_build_a_module_with_fields_and_access(client, admin_agent):
    client.force_login(admin_agent.user)
    response = client.post("/settings/modules/", {"key": "vehicles", "name": "车辆", "name_en": "Vehicles"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/modules/vehicles/"
    response = client.post(
        "/settings/modules/vehicles/",
        {"action": "field", "key": "make", "label": "品牌", "type": "picklist", "options": "丰田\n大众"},
    )
    assert response.status_code == 302
    bad = client.post(
        "/settings/modules/vehicles/", {"action": "field", "key": "x", "label": "X", "type": "picklist"}
    )
    assert "Enter at least one option." in bad.content.decode()
    module = CustomModule.objects.get()
    assert list(module.fields.values_list("key", "choices")) == [("make", ["丰田", "大众"])]
    roles = {
        row.role.key: row for row in ModuleRoleAccess.objects.filter(module=module).select_related("role")
    }
    data = {"action": "access", **{f"role_{row.role_id}": "1" for row in roles.values()}}
    client.post("/settings/modules/vehicles/", data)
    assert set(ModuleRoleAccess.objects.values_list("level", flat=True)) == {1}


def test_settings_need_the_settings_permission(signed_in, vehicles):
    assert signed_in.get("/settings/modules/").status_code == 403
    assert signed_in.get("/settings/modules/vehicles/").status_code == 403
