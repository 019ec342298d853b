"""Account pages: list, detail with contacts and visible tickets, create/edit, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.contacts.models import Account
from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.org.tests.factories import UserFactory
from kefu.tickets.inputs import ContactRef

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


@pytest.fixture
def mingyuan(db):
    return AccountFactory(name="上海明远科技有限公司", website="https://mingyuan.example.cn")


def queries_of(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_list_shows_accounts_with_their_contact_counts(signed_in, mingyuan):
    ContactFactory.create_batch(2, account=mingyuan)
    ContactFactory(account=mingyuan, merged_into=ContactFactory())  # merged contacts are not counted
    AccountFactory(name="北京新科")
    response = signed_in.get("/contacts/accounts/", {"q": "明远"})
    assert [(a.name, a.contact_count) for a in response.context["page"].items] == [
        ("上海明远科技有限公司", 2)
    ]
    assert "<html" in response.content.decode()
    partial = signed_in.get("/contacts/accounts/", {"q": "明远"}, **HTMX).content.decode()
    assert "<html" not in partial
    assert "上海明远科技有限公司" in partial


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_rows(signed_in):
    for _ in range(3):
        ContactFactory(account=AccountFactory())
    few = queries_of(signed_in, "/contacts/accounts/")
    for _ in range(27):
        ContactFactory(account=AccountFactory())
    assert queries_of(signed_in, "/contacts/accounts/") == few


@pytest.mark.django_db
def test_detail_shows_contacts_and_only_visible_tickets(signed_in, mingyuan, other_department, create_ticket):
    wang = ContactFactory(name="王芳", account=mingyuan)
    mine = create_ticket(subject="打印机坏了", contact=ContactRef(contact_id=wang.pk))
    create_ticket(
        subject="财务机密", contact=ContactRef(contact_id=wang.pk), department_id=other_department.pk
    )
    response = signed_in.get(f"/contacts/accounts/{mingyuan.pk}/")
    assert [c.pk for c in response.context["contacts"]] == [wang.pk]
    assert [t.pk for t in response.context["tickets"].items] == [mine.pk]
    html = response.content.decode()
    assert "打印机坏了" in html
    assert "财务机密" not in html


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_tickets(signed_in, mingyuan, create_ticket):
    wang = ContactFactory(account=mingyuan)
    for _ in range(3):
        create_ticket(contact=ContactRef(contact_id=wang.pk))
    few = queries_of(signed_in, f"/contacts/accounts/{mingyuan.pk}/")
    for _ in range(27):
        create_ticket(contact=ContactRef(contact_id=ContactFactory(account=mingyuan).pk))
    assert queries_of(signed_in, f"/contacts/accounts/{mingyuan.pk}/") == few


@pytest.mark.django_db
def test_create_and_edit_an_account(signed_in):
    response = signed_in.post(
        "/contacts/accounts/new/", {"name": "华东物流", "website": "https://hd.example.cn"}
    )
    account = Account.objects.get(name="华东物流")
    assert (response.status_code, response["Location"]) == (302, f"/contacts/accounts/{account.pk}/")
    response = signed_in.post(
        f"/contacts/accounts/{account.pk}/edit/", {"name": "华东物流集团", "website": "", "industry": "物流"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.name, account.website, account.industry) == ("华东物流集团", "", "物流")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"name": ""}, {"name": ["This field is required."]}),
        ({"name": "x", "website": "ftp://files.example.cn"}, {"website": ["Enter a valid URL."]}),
        (
            {"name": "x", "industry": "y" * 101},
            {"industry": ["Ensure this value has at most 100 characters (it has 101)."]},
        ),
    ],
)
def test_bad_account_input_shows_form_errors(signed_in, data, errors):
    response = signed_in.post("/contacts/accounts/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert Account.objects.count() == 0


@pytest.mark.django_db
def test_account_pages_permissions(client, light_agent, mingyuan):
    assert client.get(f"/contacts/accounts/{mingyuan.pk}/").status_code == 302
    client.force_login(UserFactory())
    assert client.get(f"/contacts/accounts/{mingyuan.pk}/").status_code == 403
    client.force_login(light_agent.user)
    assert client.get(f"/contacts/accounts/{mingyuan.pk}/").status_code == 200
    assert client.post(f"/contacts/accounts/{mingyuan.pk}/edit/", {"name": "改名"}).status_code == 403
    assert client.post("/contacts/accounts/new/", {"name": "新公司"}).status_code == 403
    mingyuan.refresh_from_db()
    assert mingyuan.name == "上海明远科技有限公司"
    assert Account.objects.count() == 1
    assert client.get("/contacts/accounts/99999/").status_code == 404
