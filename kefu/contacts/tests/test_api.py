"""The contacts and accounts REST API: exact payloads, validation and who may use it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from kefu.contacts.models import Account, Contact, ContactEmail
from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.core.models import AuditEntry, IdempotentRequest
from kefu.customfields.models import CustomField
from kefu.org.tests.factories import AgentFactory, ApiKeyFactory, UserFactory
from tests.helpers import error_of

CONTACTS = "/api/v1/contacts"
ACCOUNTS = "/api/v1/accounts"
BIG = 2**63


def iso(value: dt.datetime) -> str:
    return DjangoJSONEncoder().default(value)


def expected_contact(contact: Contact) -> dict:
    contact = Contact.objects.get(pk=contact.pk)
    return {
        "id": contact.pk,
        "name": contact.name,
        "email": contact.email,
        "other_emails": sorted(contact.addresses.filter(is_primary=False).values_list("address", flat=True)),
        "phone": contact.phone,
        "mobile": contact.mobile,
        "account_id": contact.account_id,
        "language": contact.language,
        "time_zone": contact.time_zone,
        "tags": sorted(contact.tags.values_list("name", flat=True)),
        "custom_fields": contact.custom_fields,
        "owner_id": contact.owner_id,
        "created_at": iso(contact.created_at),
        "updated_at": iso(contact.updated_at),
    }


def expected_account(account: Account) -> dict:
    account = Account.objects.get(pk=account.pk)
    return {
        "id": account.pk,
        "name": account.name,
        "website": account.website,
        "phone": account.phone,
        "industry": account.industry,
        "custom_fields": account.custom_fields,
        "created_at": iso(account.created_at),
        "updated_at": iso(account.updated_at),
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def user_client(api_client_for, user):
    """A client with a key of ``user``, who need not be an agent."""
    _key, secret = ApiKeyFactory.create(user)
    return type(api_client_for(None))(secret)


@pytest.fixture
def contact(db):
    return ContactFactory(name="王芳", email="wang.fang@example.cn", phone="+86 21 5555 0101")


@pytest.fixture
def account(db):
    return AccountFactory(name="上海明远科技有限公司", website="https://mingyuan.example.cn")


# --- authentication and permissions -------------------------------------------------------------------------

ENDPOINTS = [
    ("get", CONTACTS, None),
    ("post", CONTACTS, {"name": "李雷"}),
    ("get", CONTACTS + "/{contact}", None),
    ("patch", CONTACTS + "/{contact}", {"name": "李雷"}),
    ("get", ACCOUNTS, None),
    ("post", ACCOUNTS, {"name": "新公司"}),
    ("get", ACCOUNTS + "/{account}", None),
    ("patch", ACCOUNTS + "/{account}", {"name": "新公司"}),
]


def send(client, method, path, payload, contact, account):
    url = path.format(contact=contact.pk, account=account.pk)
    if payload is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(payload), content_type="application/json")


def state():
    return (
        list(Contact.objects.order_by("id").values()),
        list(Account.objects.order_by("id").values()),
        list(ContactEmail.objects.order_by("id").values()),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "payload"), ENDPOINTS)
def test_every_endpoint_is_401_without_a_key(api_client_for, contact, account, method, path, payload):
    before = state()
    error = error_of(send(api_client_for(None), method, path, payload, contact, account), 401)
    assert error == {"code": "unauthenticated", "message": error["message"], "fields": {}}
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "payload"), ENDPOINTS)
def test_a_user_without_an_agent_profile_is_403(api_client_for, contact, account, method, path, payload):
    before = state()
    client = user_client(api_client_for, UserFactory())
    assert error_of(send(client, method, path, payload, contact, account), 403)["code"] == "permission_denied"
    assert state() == before


@pytest.mark.django_db
def test_a_light_agent_reads_but_cannot_write(api_client_for, light_agent, contact, account):
    client = api_client_for(light_agent)
    assert client.get(f"{CONTACTS}/{contact.pk}").json() == expected_contact(contact)
    assert ids(client.get(CONTACTS)) == [contact.pk]
    assert client.get(f"{ACCOUNTS}/{account.pk}").json() == expected_account(account)
    before = state()
    for method, path, payload in ENDPOINTS:
        if method != "get":
            response = send(client, method, path, payload, contact, account)
            assert error_of(response, 403)["code"] == "permission_denied", (method, path)
    assert state() == before


@pytest.mark.django_db
def test_agents_of_every_department_share_contacts(api_client_for, other_agent, contact):
    assert api_client_for(other_agent).get(f"{CONTACTS}/{contact.pk}").json() == expected_contact(contact)


# --- contacts -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_a_contact_with_every_field(api, agent, account):
    response = api.post_json(
        CONTACTS,
        {
            "name": " 李雷 ",
            "email": "Li.Lei@Example.CN",
            "other_emails": ["lilei@home.example", "LEI@work.example"],
            "phone": "+86 21 5555 0102",
            "mobile": "13800000000",
            "account_id": account.pk,
            "language": "zh-hans",
            "time_zone": "Asia/Shanghai",
            "tags": ["VIP", "vip", "北京"],
            "owner_id": agent.user.pk,
        },
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get()
    assert response.json() == expected_contact(contact)
    assert response.json() | {"id": 0, "created_at": "", "updated_at": ""} == {
        "id": 0,
        "name": "李雷",
        "email": "li.lei@example.cn",
        "other_emails": ["lei@work.example", "lilei@home.example"],
        "phone": "+86 21 5555 0102",
        "mobile": "13800000000",
        "account_id": account.pk,
        "language": "zh-hans",
        "time_zone": "Asia/Shanghai",
        "tags": ["VIP", "北京"],
        "custom_fields": {},
        "owner_id": agent.user.pk,
        "created_at": "",
        "updated_at": "",
    }
    assert sorted(ContactEmail.objects.values_list("address", "is_primary")) == [
        ("lei@work.example", False),
        ("li.lei@example.cn", True),
        ("lilei@home.example", False),
    ]
    assert (
        AuditEntry.objects.filter(action="contact.created", object_id=contact.pk, source="api").count() == 1
    )


@pytest.mark.django_db
def test_create_a_contact_with_only_a_name(api):
    response = api.post_json(CONTACTS, {"name": "匿名访客"})
    assert response.status_code == 201
    assert (response.json()["name"], response.json()["email"], response.json()["other_emails"]) == (
        "匿名访客",
        "",
        [],
    )


@pytest.mark.django_db
def test_create_is_idempotent(api):
    first = api.post_json(CONTACTS, {"name": "李雷"}, headers={"Idempotency-Key": "c1"})
    second = api.post_json(CONTACTS, {"name": "李雷"}, headers={"Idempotency-Key": "c1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Contact.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1
    assert (
        error_of(api.post_json(CONTACTS, {"name": "韩梅梅"}, headers={"Idempotency-Key": "c1"}), 409)["code"]
        == "conflict"
    )
    assert Contact.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["wang.fang@example.cn", "WANG.FANG@EXAMPLE.CN", " Wang.Fang@example.cn "])
def test_a_duplicate_email_is_409(api, contact, email):
    before = state()
    error = error_of(api.post_json(CONTACTS, {"name": "另一个王芳", "email": email}), 409)
    assert error["code"] == "conflict"
    assert set(error["fields"]) == {"email"}
    assert state() == before


@pytest.mark.django_db
def test_another_contacts_address_as_other_email_is_409(api, contact):
    error = error_of(
        api.post_json(CONTACTS, {"email": "new@example.cn", "other_emails": ["wang.fang@example.cn"]}), 409
    )
    assert set(error["fields"]) == {"other_emails"}
    assert Contact.objects.count() == 1


BAD_CONTACTS = [
    ({"email": "not-an-address"}, "email"),
    ({"email": "a@b"}, "email"),
    ({"email": "x" * 255}, "email"),
    ({"email": 12}, "email"),
    ({"other_emails": ["fine@example.cn", "broken"]}, "other_emails.1"),
    ({"other_emails": "a@b.cn"}, "other_emails"),
    ({"account_id": 987654}, "account_id"),
    ({"account_id": BIG}, "account_id"),
    ({"account_id": "one"}, "account_id"),
    ({"owner_id": 987654}, "owner_id"),
    ({"language": "fr"}, "language"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"name": "x" * 201}, "name"),
    ({"name": "a\x00b"}, "name"),
    ({"phone": "1" * 33}, "phone"),
    ({"tags": ["x" * 65]}, "tags.0"),
    ({"custom_fields": {"unknown": 1}}, "custom_fields.unknown"),
    ({"custom_fields": "x"}, "custom_fields"),
    ({}, "name"),
    ({"name": "", "email": ""}, "name"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"), BAD_CONTACTS, ids=[f"{f}-{i}" for i, (_p, f) in enumerate(BAD_CONTACTS)]
)
def test_bad_contact_input_is_422_naming_the_field(api, payload, field):
    error = error_of(
        api.post_json(CONTACTS, {"name": "李雷", **payload} if field != "name" else payload), 422
    )
    assert error["code"] == "validation_failed"
    assert field in error["fields"], error
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_an_agent_who_owns_a_contact_must_be_an_agent(api):
    user = UserFactory()
    assert set(error_of(api.post_json(CONTACTS, {"name": "x", "owner_id": user.pk}), 422)["fields"]) == {
        "owner_id"
    }


@pytest.mark.django_db
def test_contact_custom_fields_are_validated(api):
    CustomField.objects.create(
        module="contact", key="level", name="等级", field_type="picklist", choices=["金", "银"]
    )
    CustomField.objects.create(module="ticket", key="order_no", name="订单号", field_type="text")
    created = api.post_json(CONTACTS, {"name": "x", "custom_fields": {"level": "金"}})
    assert created.status_code == 201
    assert created.json()["custom_fields"] == {"level": "金"}
    bad = api.post_json(CONTACTS, {"name": "y", "custom_fields": {"level": "铜", "order_no": "1"}})
    assert set(error_of(bad, 422)["fields"]) == {"custom_fields.level", "custom_fields.order_no"}


@pytest.mark.django_db
def test_get_a_contact(api, contact):
    response = api.get(f"{CONTACTS}/{contact.pk}")
    assert response.status_code == 200
    assert response.json() == expected_contact(contact)
    assert response.json()["email"] == "wang.fang@example.cn"


@pytest.mark.django_db
def test_an_unknown_contact_is_404(api, contact):
    assert error_of(api.get(f"{CONTACTS}/987654"), 404)["code"] == "not_found"
    assert error_of(api.patch_json(f"{CONTACTS}/987654", {"name": "x"}), 404)["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("bad_id", ["0", str(BIG), "abc"])
def test_an_id_that_cannot_exist_is_422(api, contact, account, bad_id):
    assert set(error_of(api.get(f"{CONTACTS}/{bad_id}"), 422)["fields"]) == {"contact_id"}
    assert set(error_of(api.patch_json(f"{ACCOUNTS}/{bad_id}", {"name": "x"}), 422)["fields"]) == {
        "account_id"
    }


@pytest.mark.django_db
def test_a_merged_contact_is_404(api, contact):
    survivor = ContactFactory()
    Contact.objects.filter(pk=contact.pk).update(merged_into=survivor)
    assert error_of(api.get(f"{CONTACTS}/{contact.pk}"), 404)["code"] == "not_found"


@pytest.mark.django_db
def test_patch_a_contact(api, contact, account):
    response = api.patch_json(
        f"{CONTACTS}/{contact.pk}",
        {
            "name": "王芳芳",
            "email": "Fang@Example.cn",
            "account_id": account.pk,
            "tags": ["重要"],
            "mobile": "139",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json() == expected_contact(contact)
    assert (response.json()["name"], response.json()["email"], response.json()["account_id"]) == (
        "王芳芳", "fang@example.cn", account.pk,
    )  # fmt: skip
    assert (response.json()["tags"], response.json()["mobile"], response.json()["phone"]) == (
        ["重要"], "139", "+86 21 5555 0101",
    )  # fmt: skip
    assert list(ContactEmail.objects.values_list("address", "is_primary")) == [("fang@example.cn", True)]


@pytest.mark.django_db
def test_patch_can_clear_the_account_and_tags(api, account):
    contact = ContactFactory(account=account)
    contact.tags.create(name="旧")
    response = api.patch_json(f"{CONTACTS}/{contact.pk}", {"account_id": None, "tags": []})
    assert response.status_code == 200
    assert (response.json()["account_id"], response.json()["tags"]) == (None, [])


@pytest.mark.django_db
def test_patch_to_another_contacts_email_is_409_and_changes_nothing(api, contact):
    other = ContactFactory(email="other@example.cn")
    before = state()
    error = error_of(
        api.patch_json(f"{CONTACTS}/{other.pk}", {"name": "改名", "email": "WANG.FANG@example.cn"}), 409
    )
    assert set(error["fields"]) == {"email"}
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "broken"}, "email"),
        ({"account_id": 987654}, "account_id"),
        ({"language": "xx"}, "language"),
        ({"time_zone": "Nowhere"}, "time_zone"),
        ({"phone": "1" * 40}, "phone"),
    ],
)
def test_bad_contact_patch_is_422(api, contact, payload, field):
    before = state()
    assert field in error_of(api.patch_json(f"{CONTACTS}/{contact.pk}", payload), 422)["fields"]
    assert state() == before


@pytest.mark.django_db
def test_list_contacts_newest_first_and_search(api, contact, account):
    li = ContactFactory(name="李雷", email="li.lei@example.cn", account=account)
    han = ContactFactory(name="韩梅梅", email="meimei@school.example", mobile="13912345678")
    assert ids(api.get(CONTACTS)) == [han.pk, li.pk, contact.pk]
    assert api.get(CONTACTS).json()["items"][0] == expected_contact(han)
    assert ids(api.get(CONTACTS, {"q": "王"})) == [contact.pk]
    assert ids(api.get(CONTACTS, {"q": "LI.LEI@"})) == [li.pk]
    assert ids(api.get(CONTACTS, {"q": "example.cn"})) == [li.pk, contact.pk]
    assert ids(api.get(CONTACTS, {"q": "1391234"})) == [han.pk]
    assert ids(api.get(CONTACTS, {"q": "5555"})) == [contact.pk]
    assert ids(api.get(CONTACTS, {"q": "nobody"})) == []
    assert ids(api.get(CONTACTS, {"account_id": account.pk})) == [li.pk]


@pytest.mark.django_db
def test_a_contact_with_several_matching_addresses_is_listed_once(api):
    contact = ContactFactory(email="a1@example.cn")
    ContactEmail.objects.create(contact=contact, address="a2@example.cn")
    assert ids(api.get(CONTACTS, {"q": "example"})) == [contact.pk]


@pytest.mark.django_db
def test_contacts_paginate(api):
    contacts = [ContactFactory() for _ in range(5)]
    seen, cursor = [], None
    while True:
        body = api.get(CONTACTS, {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [c.pk for c in reversed(contacts)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"limit": 101}, 422, "limit"),
        ({"limit": 0}, 422, "limit"),
        ({"cursor": "garbage"}, 400, "cursor"),
        ({"account_id": str(BIG)}, 422, "account_id"),
        ({"q": "a\x00"}, 422, "q"),
        ({"q": "x" * 201}, 422, "q"),
    ],
)
def test_bad_list_parameters(api, contact, query, status, field):
    assert field in error_of(api.get(CONTACTS, query), status)["fields"]
    if field != "account_id":
        assert field in error_of(api.get(ACCOUNTS, query), status)["fields"]


# --- accounts -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_an_account(api):
    response = api.post_json(
        ACCOUNTS,
        {
            "name": " 北京星辰贸易 ",
            "website": "https://xingchen.example.cn",
            "phone": "010-5555",
            "industry": "贸易",
        },
    )
    assert response.status_code == 201, response.content
    account = Account.objects.get()
    assert response.json() == expected_account(account)
    assert (account.name, account.website, account.phone, account.industry) == (
        "北京星辰贸易", "https://xingchen.example.cn", "010-5555", "贸易",
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="account.created", object_id=account.pk).count() == 1


@pytest.mark.django_db
def test_account_creation_is_idempotent(api):
    first = api.post_json(ACCOUNTS, {"name": "甲"}, headers={"Idempotency-Key": "a"})
    second = api.post_json(ACCOUNTS, {"name": "甲"}, headers={"Idempotency-Key": "a"})
    assert first.json() == second.json()
    assert Account.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "a", "website": "not a url"}, "website"),
        ({"name": "a", "website": "javascript:alert(1)"}, "website"),
        ({"name": "a", "phone": "1" * 33}, "phone"),
        ({"name": "a", "industry": "\x00"}, "industry"),
        ({"name": "a", "custom_fields": {"x": 1}}, "custom_fields.x"),
    ],
)
def test_bad_account_input_is_422(api, payload, field):
    assert field in error_of(api.post_json(ACCOUNTS, payload), 422)["fields"]
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_get_patch_and_list_accounts(api, account):
    assert api.get(f"{ACCOUNTS}/{account.pk}").json() == expected_account(account)
    other = AccountFactory(name="北京星辰贸易", website="https://xingchen.example.cn")
    patched = api.patch_json(f"{ACCOUNTS}/{account.pk}", {"industry": "软件", "phone": "021-5555"})
    assert patched.status_code == 200
    assert patched.json() == expected_account(account)
    assert (patched.json()["industry"], patched.json()["name"]) == ("软件", "上海明远科技有限公司")
    assert ids(api.get(ACCOUNTS)) == [other.pk, account.pk]
    assert ids(api.get(ACCOUNTS, {"q": "明远"})) == [account.pk]
    assert ids(api.get(ACCOUNTS, {"q": "XINGCHEN"})) == [other.pk]
    assert ids(api.get(ACCOUNTS, {"q": "无"})) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"), [({"name": ""}, "name"), ({"website": "ftp://x.cn"}, "website")]
)
def test_bad_account_patch_is_422(api, account, payload, field):
    before = state()
    assert field in error_of(api.patch_json(f"{ACCOUNTS}/{account.pk}", payload), 422)["fields"]
    assert state() == before


@pytest.mark.django_db
def test_an_unknown_account_is_404(api, account):
    assert error_of(api.get(f"{ACCOUNTS}/987654"), 404)["code"] == "not_found"
    assert error_of(api.patch_json(f"{ACCOUNTS}/987654", {"name": "x"}), 404)["code"] == "not_found"


@pytest.mark.django_db
def test_a_supervisor_manages_contacts_too(api_client_for, department):
    supervisor = AgentFactory(role_key="supervisor", departments=[department])
    assert api_client_for(supervisor).post_json(CONTACTS, {"name": "x"}).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CONTACTS, ACCOUNTS])
def test_a_custom_field_value_no_database_can_store_is_422(api, url):
    module = "contact" if url == CONTACTS else "account"
    CustomField.objects.create(module=module, key="note", name="备注", field_type="long_text")
    error = error_of(api.post_json(url, {"name": "x", "custom_fields": {"note": "a\x00b"}}), 422)
    assert [name for name in error["fields"] if name.startswith("custom_fields")], error
