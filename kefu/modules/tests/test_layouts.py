"""Custom-module layouts (``module:<key>``): the layout API offers the module's fields, record_create and
record_update enforce the mandatory fields and rules (a 422 naming ``values.<key>``), imports are never
refused, and the record form is drawn by the layout."""

from __future__ import annotations

import pytest

from kefu.core.actors import Actor, Source
from kefu.customfields.services.layouts import layout_save
from kefu.modules.models import Record
from kefu.modules.services import record_update
from kefu.modules.tests.factories import record, vehicles_module
from tests.helpers import error_of

RECORDS = "/api/v1/modules/vehicles/records"


@pytest.fixture
def vehicles(db):
    return vehicles_module()


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


@pytest.fixture
def layout(admin_agent, vehicles):
    """The make is mandatory; a car under repair must say its model."""
    return layout_save(
        actor=Actor.agent(admin_agent.user),
        source=Source.WEB,
        module="module:vehicles",
        department_id=None,
        sections=[
            {"key": "car", "name": "车辆", "name_en": "Car", "fields": [
                {"field": "values.plate"}, {"field": "values.make", "required_on_create": True},
                {"field": "values.state"},
            ]},
            {"key": "more", "name": "更多", "name_en": "More", "fields": [{"field": "values.model"}]},
        ],
        rules=[{"when": {"field": "values.state", "values": ["维修中"]}, "show": ["values.model"]}],
    )  # fmt: skip


def test_the_layout_api_offers_the_modules_fields_and_checks_rule_values(admin_api, vehicles):
    response = admin_api.get("/api/v1/layouts/module:vehicles/fields")
    assert response.status_code == 200
    assert [item["field"] for item in response.json()["items"]] == [
        "values.plate", "values.make", "values.model", "values.state", "values.customer",
    ]  # fmt: skip
    body = {
        "sections": [
            {"key": "a", "name": "甲", "fields": [{"field": "values.state"}, {"field": "values.model"}]}
        ],
        "rules": [{"when": {"field": "values.state", "values": ["报废"]}, "show": ["values.model"]}],
    }
    error = error_of(
        admin_api.put("/api/v1/layouts/module:vehicles", body, content_type="application/json"), 422
    )
    assert error["fields"] == {"rules.0.when.values": "Choose among: 空闲, 出租中, 维修中."}
    assert admin_api.get("/api/v1/layouts/module:nothing/fields").status_code == 404


def test_the_api_refuses_a_record_without_its_mandatory_fields_naming_them(api, layout):
    error = error_of(api.post_json(RECORDS, {"values": {"plate": "沪A·1"}}), 422)
    assert error["fields"] == {"values.make": "This field is required."}
    error = error_of(
        api.post_json(RECORDS, {"values": {"plate": "沪A·1", "make": "丰田", "state": "维修中"}}), 422
    )
    assert error["fields"] == {"values.model": "This field is required."}
    assert not Record.objects.exists()
    response = api.post_json(RECORDS, {"values": {"plate": "沪A·1", "make": "丰田", "state": "空闲"}})
    assert response.status_code == 201, response.content


def test_an_edit_may_not_empty_a_mandatory_field_nor_trigger_a_rule_without_its_field(api, layout):
    car = record(plate="沪A·2", make="大众", state="空闲")
    error = error_of(api.patch_json(f"{RECORDS}/{car.pk}", {"values": {"make": None}}), 422)
    assert error["fields"] == {"values.make": "This field is required."}
    error = error_of(api.patch_json(f"{RECORDS}/{car.pk}", {"values": {"state": "维修中"}}), 422)
    assert error["fields"] == {"values.model": "This field is required."}
    car.refresh_from_db()
    assert car.values == {"plate": "沪A·2", "make": "大众", "state": "空闲"}
    response = api.patch_json(f"{RECORDS}/{car.pk}", {"values": {"state": "维修中", "model": "帕萨特"}})
    assert response.status_code == 200, response.content
    # Imports bring what they have, and a change elsewhere does not make an older gap its fault.
    old = record(plate="沪A·3")
    record_update(actor=Actor.system(), source=Source.IMPORT, record=old, values={"state": "维修中"})
    assert api.patch_json(f"{RECORDS}/{old.pk}", {"values": {"plate": "沪A·4"}}).status_code == 200


@pytest.mark.parametrize(
    ("language", "words"), [("en", ["Car", "More", "Make"]), ("zh-hans", ["车辆", "更多", "品牌"])]
)
def test_the_record_form_follows_the_layout(client, agent, layout, language, words):
    client.force_login(agent.user)
    client.cookies["django_language"] = language
    page = client.get("/modules/vehicles/new/").content.decode()
    assert page.count('data-testid="layout-section"') == 2
    for word in words:
        assert word in page, word
    assert 'name="v_customer"' not in page  # not placed by the layout
    model = page.split('data-layout-field="values.model"')[1].split(">")[0]
    assert "hidden" in model
    make = page.split('data-layout-field="values.make"')[1].split("</label>")[0]
    assert "form-label required" in make
    response = client.post("/modules/vehicles/new/", {"v_plate": "沪A·5", "v_state": "维修中"})
    assert response.status_code == 200
    assert not Record.objects.exists()
    shown = response.content.decode().split('data-layout-field="values.model"')[1].split(">")[0]
    assert "hidden" not in shown  # the posted state shows the model
    response = client.post(
        "/modules/vehicles/new/",
        {"v_plate": "沪A·5", "v_make": "比亚迪", "v_state": "维修中", "v_model": "汉"},
    )
    assert response.status_code == 302
    assert Record.objects.get().values == {
        "plate": "沪A·5",
        "make": "比亚迪",
        "state": "维修中",
        "model": "汉",
    }


def test_the_settings_list_shows_contacts_accounts_and_modules(admin_client, vehicles):
    page = admin_client.get("/settings/custom-fields/layouts/").content.decode()
    for module in ("ticket", "contact", "account", "module:vehicles"):
        assert f'data-testid="layouts-{module}"' in page
    assert "/settings/custom-fields/layouts/module:vehicles/default/" in page
    editor = admin_client.get("/settings/custom-fields/layouts/module:vehicles/default/")
    assert editor.status_code == 200
    assert "Layout of Vehicles" in editor.content.decode()
    assert admin_client.get("/settings/custom-fields/layouts/contact/1/").status_code == 404
