import threading

import pytest
from django.db import connection

from kefu.contacts.inputs import AccountInput, ContactInput
from kefu.contacts.models import Account, Contact, ContactEmail
from kefu.contacts.services import (
    account_create,
    account_get_or_create_by_name,
    account_update,
    contact_create,
    contact_get_or_create_by_email,
    contact_update,
)
from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, PermissionDenied, ValidationFailed

SYSTEM = Actor.system()


@pytest.mark.django_db
def test_create_registers_every_address_lower_cased(agent):
    contact = contact_create(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        data=ContactInput(
            name="王芳", email="Wang.Fang@Example.CN", other_emails=["FANG@corp.cn"], tags=["VIP"]
        ),
    )
    assert contact.email == "wang.fang@example.cn"
    assert sorted(contact.addresses.values_list("address", "is_primary")) == [
        ("fang@corp.cn", False),
        ("wang.fang@example.cn", True),
    ]
    assert list(contact.tags.values_list("name", flat=True)) == ["VIP"]


@pytest.mark.django_db
def test_an_address_belongs_to_one_contact_only(agent):
    ContactFactory(email="taken@example.cn")
    with pytest.raises(Conflict) as excinfo:
        contact_create(actor=SYSTEM, source=Source.API, data=ContactInput(name="x", email="TAKEN@example.cn"))
    assert excinfo.value.fields == {"email": "Already in use."}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "fields"),
    [
        (ContactInput(), {"name"}),
        (ContactInput(name="x", email="nope"), {"email"}),
        (ContactInput(name="x", account_id=999), {"account_id"}),
        (ContactInput(name="x", language="fr", time_zone="Mars/Base"), {"language", "time_zone"}),
        (ContactInput(name="x" * 201), {"name"}),
    ],
)
def test_invalid_contacts_name_the_field(data, fields):
    with pytest.raises(ValidationFailed) as excinfo:
        contact_create(actor=SYSTEM, source=Source.API, data=data)
    assert set(excinfo.value.fields) == fields
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_light_agent_cannot_manage_contacts(light_agent):
    with pytest.raises(PermissionDenied):
        contact_create(actor=Actor.agent(light_agent.user), source=Source.WEB, data=ContactInput(name="x"))


@pytest.mark.django_db
def test_update_changes_the_primary_address_and_keeps_the_others():
    contact = contact_create(
        actor=SYSTEM,
        source=Source.API,
        data=ContactInput(name="李雷", email="a@example.cn", other_emails=["b@example.cn"]),
    )
    contact_update(
        actor=SYSTEM, source=Source.API, contact=contact, changes={"email": "C@example.cn", "phone": "123"}
    )
    contact.refresh_from_db()
    assert (contact.email, contact.phone) == ("c@example.cn", "123")
    assert sorted(contact.addresses.values_list("address", "is_primary")) == [
        ("b@example.cn", False),
        ("c@example.cn", True),
    ]


@pytest.mark.django_db
def test_lookup_by_email_matches_any_case_and_creates_unknown_senders():
    known = ContactFactory(email="known@example.cn")
    assert (
        contact_get_or_create_by_email(actor=SYSTEM, source=Source.EMAIL, email=" KNOWN@Example.cn ") == known
    )
    new = contact_get_or_create_by_email(
        actor=SYSTEM, source=Source.EMAIL, email="New@Example.cn", name="新客户"
    )
    assert (new.email, new.name) == ("new@example.cn", "新客户")
    with pytest.raises(ValidationFailed):
        contact_get_or_create_by_email(actor=SYSTEM, source=Source.EMAIL, email="not an address")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_messages_from_one_sender_create_one_contact():
    results: list[int] = []

    def lookup() -> None:
        try:
            results.append(
                contact_get_or_create_by_email(actor=SYSTEM, source=Source.EMAIL, email="race@example.cn").pk
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=lookup) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert ContactEmail.objects.filter(address="race@example.cn").count() == 1


@pytest.mark.django_db
def test_accounts_are_validated_and_updated():
    account = account_create(
        actor=SYSTEM, source=Source.API, data=AccountInput(name="明远科技", website="https://my.example.cn")
    )
    with pytest.raises(ValidationFailed) as excinfo:
        account_update(
            actor=SYSTEM, source=Source.API, account=account, changes={"name": "", "website": "ftp://x"}
        )
    assert set(excinfo.value.fields) == {"name", "website"}
    account_update(actor=SYSTEM, source=Source.API, account=account, changes={"industry": "软件"})
    account.refresh_from_db()
    assert (account.name, account.industry) == ("明远科技", "软件")


@pytest.mark.django_db
def test_an_account_picked_by_name_is_found_in_any_case_or_created(agent):
    actor = Actor.agent(agent.user)
    older = AccountFactory(name="华北电力")
    AccountFactory(name="华北电力")
    assert account_get_or_create_by_name(actor=actor, source=Source.WEB, name=" 华北电力 ") == older
    created = account_get_or_create_by_name(actor=actor, source=Source.WEB, name="Acme Ltd")
    assert account_get_or_create_by_name(actor=actor, source=Source.WEB, name="ACME LTD") == created
    assert Account.objects.filter(name="Acme Ltd").count() == 1


@pytest.mark.django_db
def test_a_light_agent_cannot_create_an_account_by_name(light_agent):
    with pytest.raises(PermissionDenied):
        account_get_or_create_by_name(actor=Actor.agent(light_agent.user), source=Source.WEB, name="新公司")
    assert not Account.objects.filter(name="新公司").exists()
