"""Contact and account layouts: mandatory fields and layout rules enforced by the services on every door
(the API with a 422 naming the field, the console form), not for email senders or imports; the
console form drawn by the layout."""

from __future__ import annotations

import pytest

from kefu.contacts.inputs import AccountInput, ContactInput
from kefu.contacts.models import Account, Contact
from kefu.contacts.services import (
    account_create,
    contact_create,
    contact_get_or_create_by_email,
    contact_update,
)
from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.customfields.services import custom_field_create
from kefu.customfields.services.layouts import layout_save
from tests.helpers import error_of

CONTACTS = "/api/v1/contacts"
ACCOUNTS = "/api/v1/accounts"


@pytest.fixture
def admin(admin_agent):
    return Actor.agent(admin_agent.user)


@pytest.fixture
def contact_layout(admin):
    """Phone is mandatory; a contact whose language is English must say their VIP level too."""
    custom_field_create(
        actor=admin, source=Source.WEB, module="contact", key="vip_level", field_type="picklist",
        name="会员等级", name_en="VIP level", choices=["金卡", "银卡"],
    )  # fmt: skip
    return layout_save(
        actor=admin,
        source=Source.WEB,
        module="contact",
        department_id=None,
        sections=[
            {
                "key": "who",
                "name": "联系人",
                "name_en": "Who",
                "fields": [
                    {"field": "name"},
                    {"field": "phone", "required_on_create": True},
                    {"field": "language"},
                ],
            },
            {
                "key": "more",
                "name": "更多",
                "name_en": "More",
                "fields": [{"field": "custom_fields.vip_level"}],
            },
        ],
        rules=[{"when": {"field": "language", "values": ["en"]}, "show": ["custom_fields.vip_level"]}],
    )


@pytest.fixture
def account_layout(admin):
    return layout_save(
        actor=admin,
        source=Source.WEB,
        module="account",
        department_id=None,
        sections=[
            {"key": "a", "name": "公司", "name_en": "Company", "fields": [
                {"field": "name"}, {"field": "industry", "required_on_create": True}, {"field": "website"},
            ]},
        ],
        rules=[{"when": {"field": "industry", "values": ["银行"]}, "show": ["website"]}],
    )  # fmt: skip


def test_the_api_refuses_a_contact_without_a_mandatory_field_naming_it(api, contact_layout):
    error = error_of(api.post_json(CONTACTS, {"name": "王芳", "email": "wang.fang@example.cn"}), 422)
    assert error["fields"] == {"phone": "This field is required."}
    assert not Contact.objects.exists()
    response = api.post_json(
        CONTACTS, {"name": "王芳", "email": "wang.fang@example.cn", "phone": "13800000000"}
    )
    assert response.status_code == 201, response.content


def test_a_layout_rule_makes_its_field_mandatory_when_it_matches(api, contact_layout):
    body = {"name": "Amy", "phone": "13800000001", "language": "en"}
    error = error_of(api.post_json(CONTACTS, body), 422)
    assert error["fields"] == {"custom_fields.vip_level": "This field is required."}
    response = api.post_json(CONTACTS, {**body, "custom_fields": {"vip_level": "金卡"}})
    assert response.status_code == 201, response.content
    assert response.json()["custom_fields"] == {"vip_level": "金卡"}
    # Chinese-speaking contacts are not asked for it.
    assert (
        api.post_json(CONTACTS, {"name": "李雷", "phone": "13800000002", "language": "zh-hans"}).status_code
        == 201
    )


def test_an_edit_may_not_empty_a_mandatory_field_nor_trigger_a_rule_without_its_field(api, contact_layout):
    contact = ContactFactory(name="王芳", phone="13800000000")
    error = error_of(api.patch_json(f"{CONTACTS}/{contact.pk}", {"phone": ""}), 422)
    assert error["fields"] == {"phone": "This field is required."}
    error = error_of(api.patch_json(f"{CONTACTS}/{contact.pk}", {"language": "en"}), 422)
    assert error["fields"] == {"custom_fields.vip_level": "This field is required."}
    contact.refresh_from_db()
    assert (contact.phone, contact.language) == ("13800000000", "")
    # A change elsewhere does not make an older gap its fault.
    old = ContactFactory(name="老客户", phone="")
    response = api.patch_json(f"{CONTACTS}/{old.pk}", {"mobile": "13900000000"})
    assert response.status_code == 200, response.content


def test_email_senders_and_imports_are_never_refused(agent, contact_layout):
    sender = contact_get_or_create_by_email(actor=Actor.system(), source=Source.EMAIL, email="new@example.cn")
    assert sender.pk
    imported = contact_create(
        actor=Actor.system(), source=Source.IMPORT, data=ContactInput(name="导入", language="en")
    )
    assert imported.pk
    contact_update(actor=Actor.system(), source=Source.IMPORT, contact=imported, changes={"phone": ""})
    with pytest.raises(ValidationFailed) as caught:
        contact_create(actor=Actor.agent(agent.user), source=Source.WEB, data=ContactInput(name="坐席"))
    assert caught.value.fields == {"phone": "This field is required."}


def test_the_api_refuses_an_account_without_its_mandatory_and_rule_fields(api, account_layout):
    error = error_of(api.post_json(ACCOUNTS, {"name": "明远科技"}), 422)
    assert error["fields"] == {"industry": "This field is required."}
    error = error_of(api.post_json(ACCOUNTS, {"name": "明远银行", "industry": "银行"}), 422)
    assert error["fields"] == {"website": "This field is required."}
    response = api.post_json(
        ACCOUNTS, {"name": "明远银行", "industry": "银行", "website": "https://bank.example.cn"}
    )
    assert response.status_code == 201, response.content
    account = AccountFactory(name="旧公司", industry="制造")
    error = error_of(api.patch_json(f"{ACCOUNTS}/{account.pk}", {"industry": ""}), 422)
    assert error["fields"] == {"industry": "This field is required."}
    assert Account.objects.get(pk=account.pk).industry == "制造"
    assert account_create(actor=Actor.system(), source=Source.IMPORT, data=AccountInput(name="导入公司")).pk


def test_a_contact_layout_cannot_be_per_department_nor_mandatory_on_close(admin_api, department):
    sections = [{"key": "a", "name": "甲", "fields": [{"field": "phone", "required_on_create": True}]}]
    error = error_of(admin_api.put(
        f"/api/v1/layouts/contact?department_id={department.pk}", {"sections": sections},
        content_type="application/json",
    ), 422)  # fmt: skip
    assert error["fields"] == {"department_id": "This module has one layout for every department."}
    closing = [{"key": "a", "name": "甲", "fields": [{"field": "phone", "required_on_close": True}]}]
    error = error_of(
        admin_api.put("/api/v1/layouts/contact", {"sections": closing}, content_type="application/json"), 422
    )
    assert error["fields"] == {
        "sections.0.fields.0.required_on_close": "Records of this module are never closed."
    }
    response = admin_api.get("/api/v1/layouts/account/fields")
    assert [item["field"] for item in response.json()["items"]] == ["name", "website", "phone", "industry"]


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Who", "More", "Phone", "This field is required."]),
        ("zh-hans", ["联系人", "更多", "电话", "此字段为必填项。"]),
    ],
)
def test_the_console_form_follows_the_layout_and_shows_the_services_refusal(
    client, agent, contact_layout, language, words
):
    client.force_login(agent.user)
    client.cookies["django_language"] = language
    page = client.get("/contacts/new/").content.decode()
    assert page.count('data-testid="layout-section"') == 2
    assert 'data-layout-field="custom_fields.vip_level"' in page
    assert 'data-layout-field="mobile"' not in page  # the layout does not place it
    assert 'data-layout-field="email"' in page  # identity fields stay
    hidden = page.split('data-layout-field="custom_fields.vip_level"')[1].split(">")[0]
    assert "hidden" in hidden
    response = client.post(
        "/contacts/new/", {"name": "王芳", "email": "wang.fang@example.cn", "language": "en"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    for word in words:
        assert word in text, word
    assert not Contact.objects.exists()
    response = client.post(
        "/contacts/new/",
        {"name": "王芳", "phone": "13800000000", "language": "en", "cf_vip_level": "银卡"},
    )
    assert response.status_code == 302
    assert Contact.objects.get().custom_fields == {"vip_level": "银卡"}


def test_without_a_layout_the_forms_are_as_before(client, agent):
    client.force_login(agent.user)
    page = client.get("/contacts/new/").content.decode()
    assert 'data-testid="form-layout"' not in page
    assert 'name="mobile"' in page
    page = client.get("/contacts/accounts/new/").content.decode()
    assert 'data-testid="form-layout"' not in page
