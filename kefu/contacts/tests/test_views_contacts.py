"""Contact pages: who may open them, what they show, bad input, and a fixed number of queries."""

from __future__ import annotations

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.contacts.models import Account, Contact
from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.customfields.models import CustomField
from kefu.org.tests.factories import UserFactory
from kefu.tickets.inputs import ContactRef

HTMX = {"HTTP_HX_REQUEST": "true"}


class CustomFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomField

    module = "contact"
    key = factory.Sequence(lambda n: f"field_{n}")
    name = factory.Sequence(lambda n: f"字段{n}")
    field_type = "text"


@pytest.fixture
def client_for(client):
    def make(agent):
        client.force_login(agent.user)
        return client

    return make


@pytest.fixture
def wang(db):
    return ContactFactory(name="王芳", email="wang.fang@example.cn", phone="+86 21 5555 0101")


def count_queries(client, url, **extra) -> int:
    """Queries of a second request, so that one-off work (the session, the settings row) is not counted."""
    client.get(url, **extra)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


# --- who may open the pages ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/contacts/", "/contacts/new/", "/contacts/accounts/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


@pytest.mark.django_db
def test_people_who_are_not_agents_get_403(client, wang):
    client.force_login(UserFactory())
    for url in ("/contacts/", f"/contacts/{wang.pk}/", "/contacts/accounts/", "/contacts/new/"):
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_light_agents_read_contacts_but_cannot_change_them(client_for, light_agent, wang):
    client = client_for(light_agent)
    assert client.get("/contacts/").status_code == 200
    page = client.get(f"/contacts/{wang.pk}/")
    assert page.status_code == 200
    assert f"/contacts/{wang.pk}/edit/" not in page.content.decode()
    assert client.get("/contacts/new/").status_code == 403
    assert client.post("/contacts/new/", {"name": "新客户"}).status_code == 403
    assert client.post(f"/contacts/{wang.pk}/edit/", {"name": "改名"}).status_code == 403
    assert not Contact.objects.filter(name__in=["新客户", "改名"]).exists()


# --- list ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_addresses_account_and_open_tickets_the_agent_can_see(
    client_for, agent, other_department, wang, create_ticket
):
    wang.account = AccountFactory(name="明远科技")
    wang.save()
    create_ticket(contact=ContactRef(contact_id=wang.pk))
    create_ticket(contact=ContactRef(contact_id=wang.pk), department_id=other_department.pk)
    closed = create_ticket(contact=ContactRef(contact_id=wang.pk), status="已关闭")
    assert closed.status.status_type == "closed"
    response = client_for(agent).get("/contacts/")
    row = next(c for c in response.context["page"].items if c.pk == wang.pk)
    assert row.open_ticket_count == 1
    html = response.content.decode()
    assert "wang.fang@example.cn" in html
    assert "明远科技" in html
    assert "<html" in html


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["王芳", "WANG.FANG@EXAMPLE", "5555", "明远"])
def test_list_search_matches_name_email_phone_and_account(client_for, agent, wang, q):
    wang.account = AccountFactory(name="明远科技")
    wang.save()
    ContactFactory(name="李雷", email="li.lei@example.cn")
    response = client_for(agent).get("/contacts/", {"q": q})
    assert [contact.pk for contact in response.context["page"].items] == [wang.pk]


@pytest.mark.django_db
def test_list_htmx_request_gets_only_the_table(client_for, agent, wang):
    response = client_for(agent).get("/contacts/", {"q": "王"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="contact-table"' in html
    assert "王芳" in html


@pytest.mark.django_db
def test_list_pages_with_a_cursor_and_survives_a_forged_one(client_for, agent):
    ContactFactory.create_batch(27)
    client = client_for(agent)
    first = client.get("/contacts/")
    assert len(first.context["page"].items) == 25
    second = client.get("/contacts/", {"cursor": first.context["page"].next_cursor})
    assert len(second.context["page"].items) == 2
    assert not {c.pk for c in first.context["page"].items} & {c.pk for c in second.context["page"].items}
    forged = client.get("/contacts/", {"cursor": "not-a-cursor"})
    assert forged.status_code == 200
    assert forged.context["cursor_error"] == "The cursor is not valid for this list."
    assert len(forged.context["page"].items) == 25


@pytest.mark.django_db
def test_too_long_a_search_is_a_field_error(client_for, agent, wang):
    response = client_for(agent).get("/contacts/", {"q": "王" * 201})
    assert response.status_code == 200
    assert response.context["form"].errors["q"] == [
        "Ensure this value has at most 200 characters (it has 201)."
    ]


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_rows(client_for, agent, create_ticket):
    client = client_for(agent)

    def add(n):
        for contact in ContactFactory.create_batch(n, account=AccountFactory()):
            create_ticket(contact=ContactRef(contact_id=contact.pk))

    add(3)
    few = count_queries(client, "/contacts/")
    add(27)
    assert count_queries(client, "/contacts/") == few


# --- detail ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_lists_only_tickets_of_the_agents_departments(
    client_for, agent, other_department, wang, create_ticket
):
    mine = create_ticket(subject="打印机坏了", contact=ContactRef(contact_id=wang.pk))
    create_ticket(
        subject="财务机密", contact=ContactRef(contact_id=wang.pk), department_id=other_department.pk
    )
    response = client_for(agent).get(f"/contacts/{wang.pk}/")
    assert [ticket.pk for ticket in response.context["tickets"].items] == [mine.pk]
    html = response.content.decode()
    assert "打印机坏了" in html
    assert "财务机密" not in html


@pytest.mark.django_db
def test_detail_of_a_merged_contact_redirects_to_the_survivor(client_for, agent, wang):
    old = ContactFactory(name="旧", merged_into=wang)
    client = client_for(agent)
    response = client.get(f"/contacts/{old.pk}/")
    assert (response.status_code, response["Location"]) == (302, f"/contacts/{wang.pk}/")
    response = client.get(f"/contacts/{old.pk}/edit/")
    assert (response.status_code, response["Location"]) == (302, f"/contacts/{wang.pk}/edit/")


@pytest.mark.django_db
@pytest.mark.parametrize("contact_id", [999999, 2**64])
def test_unknown_contacts_are_404(client_for, agent, contact_id):
    assert client_for(agent).get(f"/contacts/{contact_id}/").status_code == 404


@pytest.mark.django_db
def test_detail_htmx_paging_returns_the_ticket_table(client_for, agent, wang, create_ticket):
    for _ in range(26):
        create_ticket(contact=ContactRef(contact_id=wang.pk))
    client = client_for(agent)
    first = client.get(f"/contacts/{wang.pk}/")
    response = client.get(f"/contacts/{wang.pk}/", {"cursor": first.context["tickets"].next_cursor}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="ticket-table">')
    assert len(response.context["tickets"].items) == 1


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_tickets(client_for, agent, wang, create_ticket):
    client = client_for(agent)
    for _ in range(3):
        create_ticket(contact=ContactRef(contact_id=wang.pk))
    few = count_queries(client, f"/contacts/{wang.pk}/")
    for _ in range(27):
        create_ticket(contact=ContactRef(contact_id=wang.pk))
    assert count_queries(client, f"/contacts/{wang.pk}/") == few


# --- create and edit -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_with_several_addresses_and_a_new_account(client_for, agent):
    response = client_for(agent).post(
        "/contacts/new/",
        {
            "name": "陈静",
            "email": "Chen.Jing@Example.cn",
            "other_emails": "jing@corp.cn\nchen@home.cn",
            "phone": "+86 10 1234 5678",
            "account_name": "北京新科",
            "language": "zh-hans",
            "time_zone": "Asia/Shanghai",
            "tags": "VIP, 北京",
        },
    )
    contact = Contact.objects.get(name="陈静")
    assert (response.status_code, response["Location"]) == (302, f"/contacts/{contact.pk}/")
    assert sorted(contact.addresses.values_list("address", "is_primary")) == [
        ("chen.jing@example.cn", True),
        ("chen@home.cn", False),
        ("jing@corp.cn", False),
    ]
    assert contact.account.name == "北京新科"
    assert sorted(contact.tags.values_list("name", flat=True)) == ["VIP", "北京"]
    assert (contact.language, contact.time_zone) == ("zh-hans", "Asia/Shanghai")


@pytest.mark.django_db
def test_create_picks_an_existing_account_by_name(client_for, agent):
    account = AccountFactory(name="明远科技")
    client_for(agent).post("/contacts/new/", {"name": "周洋", "account_name": "明远科技"})
    assert Contact.objects.get(name="周洋").account_id == account.pk
    assert Account.objects.count() == 1


@pytest.mark.django_db
def test_a_duplicate_email_is_a_field_error_and_creates_nothing(client_for, agent, wang):
    response = client_for(agent).post(
        "/contacts/new/", {"name": "冒名", "email": "WANG.FANG@example.cn", "account_name": "新公司"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["Already in use."]}
    assert not Contact.objects.filter(name="冒名").exists()
    assert not Account.objects.filter(name="新公司").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"name": ""}, {"name": ["Enter a name or an email."]}),
        ({"name": "x", "email": "nope"}, {"email": ["Enter a valid email address."]}),
        (
            {"name": "x", "other_emails": "fine@example.cn\nbroken"},
            {"other_emails": ["Enter a valid email address."]},
        ),
        (
            {"name": "x", "time_zone": "Mars/Base"},
            {"time_zone": ["Select a valid choice. Mars/Base is not one of the available choices."]},
        ),
        ({"name": "x" * 201}, {"name": ["Ensure this value has at most 200 characters (it has 201)."]}),
    ],
)
def test_bad_input_shows_form_errors(client_for, agent, data, errors):
    response = client_for(agent).post("/contacts/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert {key: list(value) for key, value in form.errors.items()} == errors
    assert Contact.objects.count() == 0


@pytest.mark.django_db
def test_custom_fields_are_shown_saved_and_checked(client_for, agent):
    CustomFieldFactory(
        key="vip_level", name="会员等级", name_en="VIP level", field_type="picklist", choices=["金", "银"]
    )
    CustomFieldFactory(
        key="since", name="客户起始", name_en="Customer since", field_type="date", is_required=True
    )
    client = client_for(agent)
    assert "VIP level" in client.get("/contacts/new/").content.decode()
    response = client.post("/contacts/new/", {"name": "x", "cf_vip_level": "金"})
    assert response.context["form"].errors == {"cf_since": ["This field is required."]}
    response = client.post("/contacts/new/", {"name": "x", "cf_vip_level": "金", "cf_since": "someday"})
    assert response.context["form"].errors == {"cf_since": ["Enter a date as YYYY-MM-DD."]}
    client.post("/contacts/new/", {"name": "x", "cf_vip_level": "金", "cf_since": "2020-02-01"})
    contact = Contact.objects.get(name="x")
    assert contact.custom_fields == {"vip_level": "金", "since": "2020-02-01"}
    assert "Customer since" in client.get(f"/contacts/{contact.pk}/").content.decode()


@pytest.mark.django_db
def test_edit_changes_fields_and_addresses(client_for, agent, wang):
    client = client_for(agent)
    page = client.get(f"/contacts/{wang.pk}/edit/")
    assert page.context["form"].initial["email"] == "wang.fang@example.cn"
    response = client.post(
        f"/contacts/{wang.pk}/edit/",
        {"name": "王芳芳", "email": "wang.fang@example.cn", "other_emails": "ff@corp.cn", "phone": ""},
    )
    assert (response.status_code, response["Location"]) == (302, f"/contacts/{wang.pk}/")
    wang.refresh_from_db()
    assert (wang.name, wang.phone) == ("王芳芳", "")
    assert sorted(wang.addresses.values_list("address", flat=True)) == ["ff@corp.cn", "wang.fang@example.cn"]


@pytest.mark.django_db
def test_edit_to_an_address_of_another_contact_is_a_field_error(client_for, agent, wang):
    ContactFactory(email="taken@example.cn")
    response = client_for(agent).post(
        f"/contacts/{wang.pk}/edit/",
        {"name": "王芳", "email": "wang.fang@example.cn", "other_emails": "taken@example.cn"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"other_emails": ["Already in use."]}
    assert list(wang.addresses.values_list("address", flat=True)) == ["wang.fang@example.cn"]
