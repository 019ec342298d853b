"""Layout rules on every channel: the ticket services enforce a department's layout whatever the door.

The layout of the after-sales department: the ticket type is mandatory when creating; a "resolution"
field is mandatory when closing; a rule shows the "vehicle" field and makes it mandatory when the
severity is 严重. The policy (docs/customisation.md): mandatory-when-creating applies to agents (API,
console); a customer's channel (email, help center) cannot supply agent fields and is not refused;
mandatory-when-closing applies to every close (agent, API, customer); imports are never refused.
"""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.channels.email.intake import message_process, message_store
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.channels.email.tests.mails import raw_mail
from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.customfields.models import CustomField
from kefu.customfields.services.layouts import layout_save
from kefu.customfields.tests.factories import CustomFieldFactory
from kefu.kb.tests.factories import BrandFactory
from kefu.portal.tests.factories import CustomerFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Status, Ticket, TicketType
from kefu.tickets.services import ticket_create, ticket_set_status, ticket_update
from tests.helpers import error_of

pytestmark = pytest.mark.django_db

REQUIRED = "This field is required."
TICKETS = "/api/v1/tickets"


@pytest.fixture
def layout(department, admin_agent):
    CustomFieldFactory(key="severity", name="严重程度", choices=["一般", "严重"])
    CustomFieldFactory(key="vehicle", name="车辆", field_type=CustomField.FieldType.TEXT)
    CustomFieldFactory(key="resolution", name="处理结果", field_type=CustomField.FieldType.TEXT)
    return layout_save(
        actor=Actor.agent(admin_agent.user),
        source=Source.WEB,
        module="ticket",
        department_id=department.pk,
        sections=[
            {
                "key": "basics",
                "name": "基本信息",
                "name_en": "Basics",
                "fields": [
                    {"field": "type", "required_on_create": True},
                    {"field": "priority"},
                    {"field": "custom_fields.severity"},
                    {"field": "custom_fields.vehicle"},
                ],
            },
            {
                "key": "closing",
                "name": "结案",
                "name_en": "Closing",
                "fields": [{"field": "custom_fields.resolution", "required_on_close": True}],
            },
        ],
        rules=[
            {
                "when": {"field": "custom_fields.severity", "values": ["严重"]},
                "show": ["custom_fields.vehicle"],
            }
        ],
    )


def closed() -> Status:
    return Status.objects.get(name="已关闭")


def reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def _new(department, **values):
    data = {
        "subject": "车辆抛锚",
        "description": "高速上抛锚了。",
        "department_id": department.pk,
        "contact": {"email": "wang.fang@example.cn"},
        **values,
    }
    return data


# --- API ----------------------------------------------------------------------------------------------


def test_api_create_needs_the_mandatory_fields_and_the_rules(api, layout, department):
    refused = error_of(api.post_json(TICKETS, _new(department)), 422)
    assert refused["fields"] == {"type": REQUIRED}
    severe = _new(department, type="问题", custom_fields={"severity": "严重"})
    assert error_of(api.post_json(TICKETS, severe), 422)["fields"] == {"custom_fields.vehicle": REQUIRED}
    # Reported together with every other bad field.
    both = error_of(api.post_json(TICKETS, _new(department, description="<p> </p>")), 422)["fields"]
    assert both == {"type": REQUIRED, "description": "Write the customer's message."}
    assert not Ticket.objects.exists()
    created = api.post_json(
        TICKETS, {**severe, "custom_fields": {"severity": "严重", "vehicle": "沪A·88888"}}
    )
    assert created.status_code == 201, created.content
    assert (
        api.post_json(TICKETS, _new(department, type="咨询", custom_fields={"severity": "一般"})).status_code
        == 201
    )


def test_api_close_needs_the_close_fields_and_a_change_that_triggers_a_rule_needs_its_field(
    api, layout, department
):
    ticket = Ticket.objects.get(pk=api.post_json(TICKETS, _new(department, type="问题")).json()["id"])
    refused = error_of(api.patch_json(f"{TICKETS}/{ticket.pk}", {"status": "已关闭"}), 422)
    assert refused["fields"] == {"custom_fields.resolution": REQUIRED}
    assert refused["message"] == "Fill in before closing the ticket: 处理结果."
    assert reload(ticket).status.name == "新建"
    chinese = api.patch_json(f"{TICKETS}/{ticket.pk}", {"status": "已关闭"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert error_of(chinese, 422)["message"] == "关闭工单前请填写：处理结果。"

    severe = error_of(api.patch_json(f"{TICKETS}/{ticket.pk}", {"custom_fields": {"severity": "严重"}}), 422)
    assert severe["fields"] == {"custom_fields.vehicle": REQUIRED}
    assert reload(ticket).custom_fields.get("severity") is None
    both = {"custom_fields": {"severity": "严重", "vehicle": "沪A·88888", "resolution": "已拖车"}}
    assert api.patch_json(f"{TICKETS}/{ticket.pk}", both).status_code == 200
    # A change elsewhere is not refused for an older gap; emptying the rule's field is.
    assert api.patch_json(f"{TICKETS}/{ticket.pk}", {"priority": "高"}).status_code == 200
    cleared = error_of(api.patch_json(f"{TICKETS}/{ticket.pk}", {"custom_fields": {"vehicle": None}}), 422)
    assert cleared["fields"] == {"custom_fields.vehicle": REQUIRED}
    assert api.patch_json(f"{TICKETS}/{ticket.pk}", {"status": "已关闭"}).status_code == 200
    assert reload(ticket).status.name == "已关闭"


def test_creating_a_ticket_already_closed_needs_the_close_fields_too(api, layout, department):
    refused = error_of(api.post_json(TICKETS, _new(department, type="问题", status="已关闭")), 422)
    assert refused["fields"] == {"custom_fields.resolution": REQUIRED}


def test_another_department_without_a_layout_is_not_affected(
    api_client_for, layout, other_agent, other_department
):
    client = api_client_for(other_agent)
    assert client.post_json(TICKETS, _new(other_department)).status_code == 201


# --- console ------------------------------------------------------------------------------------------


@pytest.fixture
def console(client, agent):
    client.force_login(agent.user)
    return client


def test_console_create_shows_the_missing_fields_on_the_form(console, layout, department):
    form = {
        "subject": "车辆抛锚",
        "description": "高速上抛锚了。",
        "department": str(department.pk),
        "contact_email": "wang.fang@example.cn",
        "cf_severity": "严重",
    }
    response = console.post("/tickets/new/", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count(REQUIRED) == 2  # the type and the vehicle, each beside its input
    assert not Ticket.objects.exists()
    problem = TicketType.objects.get(name="问题")
    created = console.post("/tickets/new/", {**form, "type": str(problem.pk), "cf_vehicle": "沪A·88888"})
    assert created.status_code == 302, created.content
    assert Ticket.objects.get().custom_fields == {"severity": "严重", "vehicle": "沪A·88888"}


def test_console_close_is_refused_until_the_close_fields_are_filled(console, layout, create_ticket, agent):
    ticket = ticket_create(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        data=TicketCreateInput(
            subject="车辆抛锚",
            description="高速上抛锚了。",
            department_id=layout.department_id,
            contact=ContactRef(email="wang.fang@example.cn"),
            type="问题",
        ),
    )
    response = console.post(
        f"/tickets/{ticket.pk}/properties/", {"field": "status", "value": str(closed().pk)}
    )
    assert response.status_code == 422
    assert "Fill in before closing the ticket: 处理结果." in response.content.decode()
    assert reload(ticket).status.name == "新建"
    ticket_update(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=reload(ticket),
        changes={"custom_fields": {"resolution": "已拖车"}},
    )
    console.post(f"/tickets/{ticket.pk}/properties/", {"field": "status", "value": str(closed().pk)})
    assert reload(ticket).status.name == "已关闭"


# --- email --------------------------------------------------------------------------------------------


def test_email_opens_a_ticket_without_agent_fields_but_closing_it_still_needs_them(
    api, layout, department, django_capture_on_commit_callbacks
):
    mailbox = MailboxFactory(address="support@kefu.test", department=department)
    with django_capture_on_commit_callbacks(execute=True):
        stored = message_store(
            raw_mail(subject="车辆抛锚", message_id="<breakdown@example.cn>"),
            source=InboundMessage.Source.PIPE,
            mailbox=mailbox,
        )
        inbound = message_process(stored.pk)
    assert inbound.state == InboundMessage.State.IMPORTED, inbound.reason
    ticket = inbound.ticket
    assert ticket.type_id is None
    refused = error_of(api.patch_json(f"{TICKETS}/{ticket.pk}", {"status": "已关闭"}), 422)
    assert refused["fields"] == {"custom_fields.resolution": REQUIRED}


# --- help center --------------------------------------------------------------------------------------


def test_the_help_center_opens_a_ticket_but_a_customer_cannot_close_it_while_fields_are_missing(
    layout, department
):
    brand = BrandFactory(slug="rental")
    brand.departments.set([department])
    contact = contact_get_or_create_by_email(
        actor=Actor.system(), source=Source.PORTAL, email="wang.fang@example.cn", name="王芳"
    )
    customer = Client()
    customer.force_login(CustomerFactory(contact=contact, user__email="wang.fang@example.cn").user)
    opened = customer.post("/hc/rental/tickets/new/", {"subject": "车辆抛锚", "message": "高速上抛锚了。"})
    assert opened.status_code in (200, 302), opened.content
    ticket = Ticket.objects.get(channel="portal")
    closing = customer.post(f"/hc/rental/tickets/{ticket.pk}/close/", follow=True)
    assert closing.status_code == 200
    assert reload(ticket).status.name == "新建"
    assert "Fill in before closing the ticket: 处理结果." in closing.content.decode()
    Ticket.objects.filter(pk=ticket.pk).update(custom_fields={"resolution": "已拖车"})
    customer.post(f"/hc/rental/tickets/{ticket.pk}/close/")
    assert reload(ticket).status.name == "已关闭"


# --- rules, the system and imports --------------------------------------------------------------------


def test_imports_are_never_refused_and_the_system_creates_what_it_is_given(layout, department):
    data = TicketCreateInput(
        subject="历史工单",
        description="旧系统导入",
        department_id=department.pk,
        contact=ContactRef(email="wang.fang@example.cn"),
        status="已关闭",
    )
    imported = ticket_create(actor=Actor.system(), source=Source.IMPORT, data=data)
    assert imported.status.name == "已关闭"
    opened = ticket_create(
        actor=Actor.system(),
        source=Source.API,
        data=TicketCreateInput(
            subject="系统创建", description="监控告警", department_id=department.pk,
            contact=ContactRef(email="wang.fang@example.cn"),
        ),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        ticket_set_status(actor=Actor.system(), source=Source.API, ticket=opened, status="已关闭")
    assert refused.value.fields == {"custom_fields.resolution": REQUIRED}


def test_a_default_layout_field_that_does_not_apply_to_the_department_is_not_asked_for(
    api_client_for, admin_agent, other_agent, other_department, department
):
    CustomFieldFactory(
        key="isbn", name="书号", field_type=CustomField.FieldType.TEXT, departments=[department]
    )
    layout_save(
        actor=Actor.agent(admin_agent.user),
        source=Source.WEB,
        module="ticket",
        department_id=None,
        sections=[
            {
                "key": "main",
                "name": "主要",
                "fields": [{"field": "custom_fields.isbn", "required_on_create": True}],
            }
        ],
    )
    client = api_client_for(other_agent)
    assert client.post_json(TICKETS, _new(other_department)).status_code == 201
