"""The create-ticket page: an agent opens a ticket for an existing or a new contact."""

from __future__ import annotations

import re

import factory
import pytest
from django.urls import reverse

from kefu.contacts.models import Contact
from kefu.contacts.tests.factories import ContactFactory
from kefu.customfields.models import CustomField
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.models import Priority, Ticket

HTMX = {"HTTP_HX_REQUEST": "true"}
CREATE = "/tickets/new/"


class TicketCustomFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomField
        skip_postgeneration_save = True

    module = "ticket"
    key = factory.Sequence(lambda n: f"field_{n}")
    name = factory.Sequence(lambda n: f"字段{n}")
    field_type = "text"

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


def form(department, **values):
    data = {
        "subject": "打印机卡纸",
        "description": "<div>第二页开始卡纸</div>",
        "department": str(department.pk),
    }
    data.update(values)
    return data


@pytest.mark.django_db
def test_the_url_name_is_stable():
    assert reverse("tickets:create") == CREATE


@pytest.mark.django_db
def test_the_page_offers_only_the_agents_departments(signed_in, department, other_department):
    response = signed_in.get(CREATE)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{department.pk}" selected>After-sales</option>' in html
    assert "Billing" not in html


@pytest.mark.django_db
def test_a_ticket_for_an_existing_contact_opens_its_page(signed_in, department, agent):
    contact = ContactFactory(name="王芳")
    high = Priority.objects.get(name="高")
    response = signed_in.post(
        CREATE,
        form(
            department,
            contact_id=str(contact.pk),
            priority=str(high.pk),
            assignee=str(agent.user.pk),
            tags="打印机, VIP",
        ),
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert (ticket.contact, ticket.priority, ticket.assignee, ticket.channel) == (
        contact,
        high,
        agent.user,
        "web",
    )
    assert ticket.description == "<div>第二页开始卡纸</div>"
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["VIP", "打印机"]
    event = ticket.events.get()
    assert (event.action, event.actor_name, event.source) == ("ticket.created", "张伟", "web")
    assert event.new_value["assignee"] == {"id": agent.user.pk, "name": "张伟"}
    # The description is the customer's message: the first thread, from the contact, not the agent.
    thread = ticket.threads.get()
    assert (thread.direction, thread.author_contact, thread.author_user, thread.channel) == (
        "in",
        contact,
        None,
        "web",
    )
    assert thread.body_html == "<div>第二页开始卡纸</div>"
    assert event.new_value["first_message"] == thread.pk


@pytest.mark.django_db
def test_a_new_email_creates_the_contact(signed_in, department):
    response = signed_in.post(CREATE, form(department, contact_email="Li.Na@Example.cn", contact_name="李娜"))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.name, contact.email) == ("李娜", "li.na@example.cn")
    assert Ticket.objects.get().contact == contact


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field_error"),
    [
        ({"subject": ""}, "This field is required."),
        ({"contact_email": "not-an-email"}, "Enter a valid email address."),
        ({"contact_email": ""}, "Choose a contact or enter an e-mail address."),
        ({"priority": "999999"}, "Unknown priority."),
        ({"assignee": "abc"}, "Enter an id."),
    ],
)
def test_bad_input_is_shown_per_field_and_creates_nothing(signed_in, department, values, field_error):
    data = form(department, contact_email="li.na@example.cn")
    data.update(values)
    response = signed_in.post(CREATE, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'<div class="invalid-feedback d-block">{field_error}</div>' in html
    assert 'value="li.na@example.cn"' in html or values.get("contact_email") is not None
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_the_customers_message_is_a_required_field(signed_in, department):
    html = signed_in.get(CREATE).content.decode()
    assert (
        '<label class="form-label required" id="ticket-description-label" for="ticket-description">'
        "Customer's message</label>"
    ) in html
    assert 'aria-required="true"' in html
    assert "It becomes the ticket's first message, from the contact." in html


@pytest.mark.django_db
@pytest.mark.parametrize("description", [None, "", "   ", "<div><br></div>"])
def test_a_ticket_without_the_customers_message_is_a_form_error(signed_in, department, description):
    data = form(department, contact_email="li.na@example.cn", description=description)
    if description is None:
        del data["description"]
    response = signed_in.post(CREATE, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        '<div id="ticket-description-error" class="invalid-feedback d-block">'
        "Write the customer&#x27;s message.</div>"
    ) in html
    assert 'aria-invalid="true"' in html
    assert 'value="打印机卡纸"' in html  # what was typed is kept
    assert not Ticket.objects.exists()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_another_department_is_refused(signed_in, other_department):
    response = signed_in.post(CREATE, form(other_department, contact_email="li.na@example.cn"))
    assert response.status_code == 422
    assert "You do not work in this department." in response.content.decode()
    assert not Ticket.objects.exists()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_missing_department_is_a_field_error(signed_in, department):
    response = signed_in.post(
        CREATE, {**form(department, contact_email="li.na@example.cn"), "department": ""}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_custom_fields_follow_the_department_and_are_validated(signed_in, department, other_department):
    TicketCustomFieldFactory(
        key="order_no", name_en="Order number", is_required=True, departments=[department]
    )
    TicketCustomFieldFactory(key="invoice", name_en="Invoice", departments=[other_department])
    page = signed_in.get(CREATE).content.decode()
    assert "Order number" in page
    assert "Invoice" not in page
    partial = signed_in.get(f"{CREATE}?part=department&department={department.pk}", **HTMX).content.decode()
    assert 'name="cf_order_no"' in partial
    assert "<html" not in partial
    missing = signed_in.post(CREATE, form(department, contact_email="li.na@example.cn"))
    assert missing.status_code == 422
    assert '<div class="invalid-feedback d-block">This field is required.</div>' in missing.content.decode()
    created = signed_in.post(CREATE, form(department, contact_email="li.na@example.cn", cf_order_no="SO-1"))
    assert created.status_code == 302
    assert Ticket.objects.get().custom_fields == {"order_no": "SO-1"}


@pytest.mark.django_db
def test_the_department_partial_ignores_departments_the_agent_cannot_see(
    signed_in, other_department, other_agent
):
    html = signed_in.get(
        f"{CREATE}?part=department&department={other_department.pk}", **HTMX
    ).content.decode()
    assert "杨磊" not in html


@pytest.mark.django_db
def test_a_light_agent_cannot_create_tickets(client, light_agent, department):
    client.force_login(light_agent.user)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form(department, contact_email="li.na@example.cn")).status_code == 403
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_the_contact_search_uses_the_contacts_lookup(signed_in):
    html = signed_in.get(CREATE).content.decode()
    assert f"kefuContactPicker('{reverse('contacts:lookup')}'" in html


@pytest.mark.django_db
def test_an_agent_with_all_departments_sees_them_all(client, department, other_department):
    admin = AgentFactory(role_key="administrator")
    client.force_login(admin.user)
    html = client.get(CREATE).content.decode()
    assert "After-sales" in html
    assert "Billing" in html


@pytest.mark.django_db
def test_the_empty_form_reports_every_missing_field_at_once_in_the_users_words(signed_in, department):
    """Subject, contact and message together, and no API field names ("contact_id", "contact.email")."""
    response = signed_in.post(CREATE, {"department": department.pk})
    assert response.status_code == 422
    html = response.content.decode()
    for message in (
        "This field is required.",
        "Choose a contact or enter an e-mail address.",
        "Write the customer&#x27;s message.",
    ):
        assert f'd-block">{message}</div>' in html
    feedback = re.findall(r'invalid-feedback d-block">([^<]*)<', html)
    assert len(feedback) == 3
    assert not [text for text in feedback if "contact_id" in text or "contact.email" in text]
    assert not Ticket.objects.exists()
