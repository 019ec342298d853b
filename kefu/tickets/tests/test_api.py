"""The tickets REST API: status codes, exact payloads and the permission matrix, through HTTP."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from kefu.contacts.models import Contact
from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.core.models import IdempotentRequest
from kefu.customfields.models import CustomField
from kefu.org.tests.factories import AgentFactory, ApiKeyFactory, DepartmentFactory, TeamFactory, UserFactory
from kefu.tickets.models import Attachment, Comment, Priority, Status, Thread, Ticket, TicketEvent
from kefu.tickets.tests.factories import TicketFactory
from tests.helpers import error_of

URL = "/api/v1/tickets"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def iso(value: dt.datetime | None) -> str | None:
    """A datetime as the API renders it."""
    return None if value is None else DjangoJSONEncoder().default(value)


def expected_ticket(ticket: Ticket) -> dict:
    ticket = Ticket.objects.select_related("status", "priority").get(pk=ticket.pk)
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "display_number": f"#{ticket.number}",
        "subject": ticket.subject,
        "description": ticket.description,
        "status": ticket.status.name,
        "status_id": ticket.status_id,
        "status_type": ticket.status.status_type,
        "priority": ticket.priority.name,
        "priority_id": ticket.priority_id,
        "type": ticket.type.name if ticket.type else None,
        "type_id": ticket.type_id,
        "department_id": ticket.department_id,
        "team_id": ticket.team_id,
        "assignee_id": ticket.assignee_id,
        "contact_id": ticket.contact_id,
        "account_id": ticket.account_id,
        "brand_id": ticket.brand_id,
        "parent_id": ticket.parent_id,
        "merged_into_id": ticket.merged_into_id,
        "split_from_id": ticket.split_from_id,
        "is_spam": ticket.is_spam,
        "channel": ticket.channel,
        "category": ticket.category,
        "sub_category": ticket.sub_category,
        "product": ticket.product,
        "language": ticket.language,
        "tags": sorted(tag.name for tag in ticket.tags.all()),
        "custom_fields": ticket.custom_fields,
        "first_response_due_at": iso(ticket.first_response_due_at),
        "next_response_due_at": iso(ticket.next_response_due_at),
        "resolution_due_at": iso(ticket.resolution_due_at),
        "first_responded_at": iso(ticket.first_responded_at),
        "sla_policy_id": ticket.sla_policy_id,
        "sla_paused": ticket.sla_paused,
        "sla": {},
        "closed_at": iso(ticket.closed_at),
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
    }


def cursor_of(value) -> str:
    """A forged cursor, encoded the way the API encodes its own."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


@pytest.fixture
def contact(db):
    return ContactFactory(name="王芳", email="wang.fang@example.cn")


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def snapshot_db(ticket: Ticket) -> tuple:
    """Everything a denied request might have written about ``ticket``."""
    row = Ticket.objects.filter(pk=ticket.pk).values().get()
    return (
        row,
        sorted(ticket.tags.values_list("name", flat=True)),
        sorted(ticket.followers.values_list("pk", flat=True)),
        TicketEvent.objects.filter(ticket=ticket).count(),
        Thread.objects.filter(ticket=ticket).count(),
        Comment.objects.filter(ticket=ticket).count(),
        Attachment.objects.filter(ticket=ticket).count(),
    )


# --- authentication -----------------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "{url}"),
    ("post", "{url}"),
    ("get", "{url}/{id}"),
    ("patch", "{url}/{id}"),
    ("delete", "{url}/{id}"),
    ("get", "{url}/{id}/threads"),
    ("post", "{url}/{id}/threads"),
    ("get", "{url}/{id}/comments"),
    ("post", "{url}/{id}/comments"),
    ("get", "{url}/{id}/history"),
    ("get", "{url}/{id}/attachments"),
    ("post", "{url}/{id}/attachments"),
    ("get", "{url}/{id}/attachments/{attachment}/download"),
    ("post", "{url}/{id}/tags"),
    ("post", "{url}/{id}/followers"),
    ("delete", "{url}/{id}/followers"),
    ("get", "/api/v1/statuses"),
    ("get", "/api/v1/priorities"),
]


@pytest.fixture
def attachment(ticket, agent):
    from kefu.core.actors import Actor, Source
    from kefu.tickets.services import attachment_add

    return attachment_add(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=ticket,
        filename="log.txt",
        content=io.BytesIO(b"log"),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer kefu_nope_nope"}, {"X-API-Key": "kefu_a_b"}]
)
def test_every_endpoint_answers_401_json_without_a_valid_key(
    api_client_for, ticket, attachment, method, path, headers
):
    before = snapshot_db(ticket)
    client = api_client_for(None)
    url = path.format(url=URL, id=ticket.pk, attachment=attachment.pk)
    if method == "get":
        response = client.get(url, headers=headers)
    else:
        response = getattr(client, method)(
            url, data=json.dumps({"body": "x"}), content_type="application/json", headers=headers
        )
    error = error_of(response, 401)
    assert error["code"] == "unauthenticated"
    assert error["fields"] == {}
    assert snapshot_db(ticket) == before
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_the_x_api_key_header_authenticates_too(api_client_for, agent, ticket):
    _key, secret = ApiKeyFactory.create(agent.user)
    response = api_client_for(None).get(f"{URL}/{ticket.pk}", headers={"X-API-Key": secret})
    assert response.status_code == 200
    assert response.json()["id"] == ticket.pk


# --- catalog ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_statuses_and_priorities_list_the_configured_values(api):
    statuses = api.get("/api/v1/statuses")
    assert statuses.status_code == 200
    assert [(s["name"], s["name_en"], s["type"], s["is_default"]) for s in statuses.json()] == [
        ("新建", "New", "open", True),
        ("处理中", "In progress", "open", False),
        ("搁置", "On hold", "on_hold", False),
        ("已关闭", "Closed", "closed", False),
    ]
    assert [s["id"] for s in statuses.json()] == list(
        Status.objects.order_by("order", "id").values_list("id", flat=True)
    )
    priorities = api.get("/api/v1/priorities")
    assert priorities.status_code == 200
    assert [(p["name"], p["name_en"], p["colour"], p["is_default"]) for p in priorities.json()] == [
        ("紧急", "Urgent", "#d63939", False),
        ("高", "High", "#f76707", False),
        ("中", "Medium", "#4299e1", True),
        ("低", "Low", "#74b816", False),
    ]


# --- create -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_with_a_contact_id_answers_the_ticket(api, department, contact, agent):
    response = api.post_json(
        URL,
        {
            "subject": "  打印机无法连接网络 ",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
            "assignee_id": agent.user.pk,
            "category": "硬件",
            "language": "zh-hans",
        },
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    body = response.json()
    assert body == expected_ticket(ticket)
    assert (body["subject"], body["description"]) == ("打印机无法连接网络", "<p>重启后仍然不行。</p>")
    assert (body["status"], body["status_type"], body["priority"]) == ("新建", "open", "中")
    assert (body["channel"], body["contact_id"], body["assignee_id"]) == ("api", contact.pk, agent.user.pk)
    assert (body["category"], body["language"], body["tags"], body["custom_fields"]) == (
        "硬件",
        "zh-hans",
        [],
        {},
    )
    assert body["closed_at"] is None
    event = ticket.events.get()
    assert (event.action, event.field, event.source, event.actor_id) == (
        "ticket.created",
        "",
        "api",
        agent.user.pk,
    )
    assert event.new_value["assignee"] == {"id": agent.user.pk, "name": "张伟"}
    # The description is the customer's first message: the ticket's first thread, from the contact.
    thread = ticket.threads.get()
    assert (thread.direction, thread.channel, thread.author_contact_id, thread.author_user_id) == (
        "in",
        "api",
        contact.pk,
        None,
    )
    assert (thread.body_html, thread.body_text) == ("<p>重启后仍然不行。</p>", "重启后仍然不行。")
    assert event.new_value["first_message"] == thread.pk


@pytest.mark.django_db
@pytest.mark.parametrize("description", ["", "   ", "<p> </p>", "<script>x</script>", None])
def test_a_create_without_the_customers_message_is_422_naming_description(
    api, department, contact, description
):
    payload = {"subject": "x", "department_id": department.pk, "contact_id": contact.pk}
    error = error_of(api.post_json(URL, {**payload, "description": description}), 422)
    assert (error["code"], set(error["fields"])) == ("validation_failed", {"description"})
    assert not Ticket.objects.exists()
    assert not Thread.objects.exists()


@pytest.mark.django_db
def test_a_blank_description_is_refused_with_the_services_reason(api, department, contact):
    payload = {"subject": "x", "department_id": department.pk, "contact_id": contact.pk, "description": " "}
    error = error_of(api.post_json(URL, payload), 422)
    assert error == {
        "code": "validation_failed",
        "message": "The ticket is not valid.",
        "fields": {"description": "Write the customer's message."},
    }


@pytest.mark.django_db
def test_the_schema_requires_the_customers_first_message(api):
    schema = api.get("/api/v1/openapi.json").json()["components"]["schemas"]["TicketCreateIn"]
    assert "description" in schema["required"]
    assert "first message" in schema["properties"]["description"]["description"]


@pytest.mark.django_db
def test_create_with_an_unknown_email_creates_the_contact(api, department):
    response = api.post_json(
        URL,
        {
            "subject": "发票",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact": {"email": "Li.Lei@Example.CN", "name": "李雷"},
        },
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get()
    assert (contact.name, contact.email) == ("李雷", "li.lei@example.cn")
    assert response.json()["contact_id"] == contact.pk


@pytest.mark.django_db
def test_create_with_a_known_email_matches_it_whatever_its_case(api, department, contact):
    response = api.post_json(
        URL,
        {
            "subject": "发票",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact": {"email": "WANG.Fang@example.CN", "name": "x"},
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["contact_id"] == contact.pk
    assert Contact.objects.count() == 1
    assert Contact.objects.get().name == "王芳"


@pytest.mark.django_db
def test_the_contact_of_an_account_brings_the_account(api, department):
    account = AccountFactory()
    contact = ContactFactory(account=account)
    response = api.post_json(
        URL,
        {
            "subject": "发票",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
        },
    )
    assert response.status_code == 201
    assert response.json()["account_id"] == account.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("status", "处理中", "处理中"),
        ("status", "In progress", "处理中"),
        ("status", "in PROGRESS", "处理中"),
        ("status_id", "搁置", "搁置"),
        ("priority", "高", "高"),
        ("priority", "Urgent", "紧急"),
        ("priority_id", "低", "低"),
    ],
)
def test_create_takes_status_and_priority_by_name_or_id(api, department, contact, field, value, expected):
    if field.endswith("_id"):
        model = Status if field.startswith("status") else Priority
        value = model.objects.get(name=value).pk
    response = api.post_json(
        URL,
        {
            "subject": "x",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
            field: value,
        },
    )
    assert response.status_code == 201, response.content
    name = field.removesuffix("_id")
    assert response.json()[name] == expected
    model = Status if name == "status" else Priority
    assert response.json()[f"{name}_id"] == model.objects.get(name=expected).pk


@pytest.mark.django_db
def test_creating_a_closed_ticket_sets_closed_at(api, department, contact):
    response = api.post_json(
        URL,
        {
            "subject": "x",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
            "status": "Closed",
        },
    )
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert ticket.closed_at == ticket.created_at
    assert response.json()["closed_at"] == iso(ticket.created_at)


@pytest.mark.django_db
def test_create_with_tags_trims_and_deduplicates_them(api, department, contact):
    response = api.post_json(
        URL,
        {
            "subject": "x",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
            "tags": ["打印机", " wifi ", "WiFi", "VIP"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["tags"] == ["VIP", "wifi", "打印机"]
    assert sorted(Ticket.objects.get().tags.values_list("name", flat=True)) == ["VIP", "wifi", "打印机"]


@pytest.fixture
def custom_fields(department, other_department):
    CustomField.objects.create(
        module="ticket", key="order_no", name="订单号", field_type="text", is_required=True
    )
    CustomField.objects.create(
        module="ticket", key="model", name="型号", field_type="picklist", choices=["M1", "M2"]
    )
    CustomField.objects.create(module="ticket", key="qty", name="数量", field_type="number")
    billing_only = CustomField.objects.create(module="ticket", key="invoice", name="发票", field_type="text")
    billing_only.departments.set([other_department])


@pytest.mark.django_db
def test_create_with_valid_custom_fields_stores_their_clean_values(api, department, contact, custom_fields):
    response = api.post_json(
        URL,
        {
            "subject": "x",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
            "custom_fields": {"order_no": "SO-1", "model": "M2", "qty": "3"},
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["custom_fields"] == {"order_no": "SO-1", "model": "M2", "qty": 3}
    assert Ticket.objects.get().custom_fields == {"order_no": "SO-1", "model": "M2", "qty": 3}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({}, {"custom_fields.order_no"}),
        ({"order_no": "SO-1", "model": "M9"}, {"custom_fields.model"}),
        ({"order_no": "SO-1", "qty": "many"}, {"custom_fields.qty"}),
        ({"order_no": "SO-1", "colour": "red"}, {"custom_fields.colour"}),
        ({"order_no": "SO-1", "invoice": "FP-1"}, {"custom_fields.invoice"}),
        ({"order_no": 12}, {"custom_fields.order_no"}),
    ],
)
def test_invalid_custom_fields_are_422_naming_each(api, department, contact, custom_fields, values, fields):
    response = api.post_json(
        URL,
        {
            "subject": "x",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
            "custom_fields": values,
        },
    )
    error = error_of(response, 422)
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == fields
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_the_same_idempotency_key_and_body_answers_the_same_ticket_once(api, department, contact):
    payload = {
        "subject": "重复提交",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
    }
    first = api.post_json(URL, payload, headers={"Idempotency-Key": "abc-1"})
    second = api.post_json(URL, payload, headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Ticket.objects.count() == 1
    assert TicketEvent.objects.count() == 1
    other = api.post_json(URL, payload, headers={"Idempotency-Key": "abc-2"})
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]
    assert Ticket.objects.count() == 2


@pytest.mark.django_db
def test_the_same_idempotency_key_with_another_body_is_409(api, department, contact):
    payload = {
        "subject": "重复提交",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
    }
    assert api.post_json(URL, payload, headers={"Idempotency-Key": "abc"}).status_code == 201
    error = error_of(
        api.post_json(URL, {**payload, "subject": "别的"}, headers={"Idempotency-Key": "abc"}), 409
    )
    assert error["code"] == "conflict"
    assert set(error["fields"]) == {"Idempotency-Key"}
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["重复提交"]


@pytest.mark.django_db
def test_idempotency_keys_belong_to_one_user(api_client_for, agent, department, contact):
    second_agent = AgentFactory(departments=[department])
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
    }
    first = api_client_for(agent).post_json(URL, payload, headers={"Idempotency-Key": "k"})
    second = api_client_for(second_agent).post_json(URL, payload, headers={"Idempotency-Key": "k"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert IdempotentRequest.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_request_does_not_burn_its_idempotency_key(api, department, contact):
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
        "status": "bogus",
    }
    assert error_of(api.post_json(URL, payload, headers={"Idempotency-Key": "k"}), 422)["fields"] == {
        "status": "Unknown status."
    }
    assert not IdempotentRequest.objects.exists()
    response = api.post_json(URL, {**payload, "status": "New"}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
def test_a_malformed_idempotency_key_is_422(api, department, contact, key):
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
    }
    error = error_of(api.post_json(URL, payload, headers={"Idempotency-Key": key}), 422)
    assert set(error["fields"]) == {"Idempotency-Key"}
    assert not Ticket.objects.exists()


# --- bad input ----------------------------------------------------------------------------------------------

BIG = 2**63
BAD_CREATES = [
    ({"subject": 123}, "subject"),
    ({"subject": ["a"]}, "subject"),
    ({"subject": ""}, "subject"),
    ({"subject": "   "}, "subject"),
    ({"subject": "x" * 100_000}, "subject"),
    ({"subject": "a\x00b"}, "subject"),
    ({"description": "a\x00b"}, "description"),
    ({"subject": "\ud800"}, "subject"),
    ({"department_id": "one"}, "department_id"),
    ({"department_id": BIG}, "department_id"),
    ({"department_id": 0}, "department_id"),
    ({"department_id": -1}, "department_id"),
    ({"department_id": 1.5}, "department_id"),
    ({"department_id": None}, "department_id"),
    ({"department_id": 987654}, "department_id"),
    ({"contact_id": 987654}, "contact_id"),
    ({"contact_id": BIG}, "contact_id"),
    ({"assignee_id": 987654}, "assignee_id"),
    ({"assignee_id": BIG * 4}, "assignee_id"),
    ({"team_id": 987654}, "team_id"),
    ({"account_id": 987654}, "account_id"),
    ({"brand_id": 987654}, "brand_id"),
    ({"parent_id": 987654}, "parent_id"),
    ({"status": "不存在"}, "status"),
    ({"status_id": 987654}, "status_id"),
    ({"priority": "bogus"}, "priority"),
    ({"priority_id": 987654}, "priority_id"),
    ({"channel": "pigeon"}, "channel"),
    ({"language": "fr"}, "language"),
    ({"tags": "vip"}, "tags"),
    ({"tags": ["x" * 65]}, "tags.0"),
    ({"tags": [1]}, "tags.0"),
    ({"custom_fields": []}, "custom_fields"),
    ({"contact": {"email": "not-an-address"}}, "contact.email"),
    ({"contact": {"name": "no email"}}, "contact.email"),
    ({"contact": "x@example.cn"}, "contact"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), BAD_CREATES, ids=[field for _c, field in BAD_CREATES])
def test_bad_input_to_create_is_422_naming_the_field(api, department, contact, change, field):
    payload = {
        "subject": "打印机",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
        **change,
    }
    if "contact" in change:
        payload.pop("contact_id")
    if field.startswith(("status", "priority")):
        field = field.removesuffix("_id")
    error = error_of(api.post_json(URL, payload), 422)
    assert error["code"] == "validation_failed"
    assert [name for name in error["fields"] if name == field or name.startswith(f"{field}.")], error
    assert not Ticket.objects.exists()


READ_ONLY = {
    "en": ("The request is not valid.", "Read-only: the SLA policy computes this time."),
    "zh-hans": ("请求无效。", "只读：此时间由 SLA 策略计算。"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("field", ["first_response_due_at", "resolution_due_at"])
def test_sla_due_times_are_read_only(api, department, contact, ticket, language, field):
    """Computed by the SLA policies: a client that still sends one is told so, in its language."""
    message, reason = READ_ONLY[language]
    expected = {"error": {"code": "validation_failed", "message": message, "fields": {field: reason}}}
    before = snapshot_db(ticket)
    created = api.post_json(
        URL,
        {
            "subject": "打印机",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
            field: None,
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert (created.status_code, created.json()) == (422, expected)
    for value in ("2026-12-01T18:00:00+08:00", None, "tomorrow"):
        changed = api.patch_json(f"{URL}/{ticket.pk}", {field: value}, HTTP_ACCEPT_LANGUAGE=language)
        assert (changed.status_code, changed.json()) == (422, expected)
    assert Ticket.objects.count() == 1
    assert snapshot_db(ticket) == before


@pytest.mark.django_db
def test_sla_due_times_are_still_read(api, department):
    first, resolution = (
        dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC),
    )
    ticket = TicketFactory(department=department, first_response_due_at=first, resolution_due_at=resolution)
    body = api.get(f"{URL}/{ticket.pk}").json()
    assert body == expected_ticket(ticket)
    assert (body["first_response_due_at"], body["resolution_due_at"]) == (iso(first), iso(resolution))
    schemas = api.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("TicketCreateIn", "TicketUpdateIn"):
        assert not {"first_response_due_at", "resolution_due_at"} & set(schemas[name]["properties"])
    assert {"first_response_due_at", "resolution_due_at"} <= set(schemas["TicketOut"]["properties"])


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["subject", "department_id", "description"])
def test_missing_required_fields_are_named(api, department, contact, missing):
    payload = {
        "subject": "打印机",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
    }
    del payload[missing]
    error = error_of(api.post_json(URL, payload), 422)
    assert set(error["fields"]) == {missing}


@pytest.mark.django_db
def test_create_without_any_contact_names_contact_id(api, department):
    error = error_of(
        api.post_json(
            URL, {"subject": "x", "description": "重启后仍然不行。", "department_id": department.pk}
        ),
        422,
    )
    assert set(error["fields"]) == {"contact_id"}
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_create_in_a_department_the_agent_does_not_work_in_is_422(api, other_department, contact):
    error = error_of(
        api.post_json(
            URL,
            {
                "subject": "x",
                "description": "重启后仍然不行。",
                "department_id": other_department.pk,
                "contact_id": contact.pk,
            },
        ),
        422,
    )
    assert set(error["fields"]) == {"department_id"}
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_create_reports_every_bad_field_at_once(api, department, contact):
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": 987654,
        "assignee_id": 987654,
        "status": "?",
    }
    error = error_of(api.post_json(URL, payload), 422)
    assert set(error["fields"]) == {"contact_id", "assignee_id", "status"}


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["{", "not json", '{"subject": "x",}', "\xff"])
def test_malformed_json_is_400(api, body, department):
    error = error_of(api.post(URL, data=body, content_type="application/json"), 400)
    assert error["code"] == "bad_request"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[]", '"text"', "null", "42"])
def test_a_json_body_that_is_not_an_object_is_422(api, body):
    error = error_of(api.post(URL, data=body, content_type="application/json"), 422)
    assert error["code"] == "validation_failed"
    assert error["fields"]


@pytest.mark.django_db
def test_an_assignee_who_is_not_an_agent_is_422(api, department, contact):
    user = UserFactory()
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
        "assignee_id": user.pk,
    }
    assert set(error_of(api.post_json(URL, payload), 422)["fields"]) == {"assignee_id"}


@pytest.mark.django_db
def test_an_assignee_from_another_department_is_422(api, department, contact, other_agent):
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
        "assignee_id": other_agent.user.pk,
    }
    assert set(error_of(api.post_json(URL, payload), 422)["fields"]) == {"assignee_id"}


@pytest.mark.django_db
def test_a_team_of_another_department_is_422(api, department, other_department, contact):
    team = TeamFactory(department=other_department)
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
        "team_id": team.pk,
    }
    assert set(error_of(api.post_json(URL, payload), 422)["fields"]) == {"team_id"}


# --- list ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_answers_exact_items_and_no_cursor_on_the_last_page(api, create_ticket):
    first = create_ticket(subject="第一")
    second = create_ticket(subject="第二")
    response = api.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "items": [expected_ticket(second), expected_ticket(first)],
        "next_cursor": None,
    }


@pytest.fixture
def varied(create_ticket, department, other_department, agent, admin_agent):
    """Tickets that differ in every filterable attribute, created at known times."""
    base = timezone.now().replace(microsecond=0) - dt.timedelta(days=10)
    account = AccountFactory()
    buyer = ContactFactory(email="buyer@example.cn", account=account)
    colleague = AgentFactory(departments=[department])
    return {
        "printer": create_ticket(
            subject="打印机无法连接网络", priority="高", assignee_id=agent.user.pk, tags=["打印机"],
            channel="email", created_at=base,
        ),
        "refund": create_ticket(
            subject="申请退款", status="已关闭", contact=ContactRefFor(buyer), channel="phone",
            tags=["退款", "VIP"], created_at=base + dt.timedelta(days=2),
        ),
        "router": create_ticket(
            subject="Router keeps rebooting", status="搁置", priority="低", assignee_id=colleague.user.pk,
            language="en", created_at=base + dt.timedelta(days=4),
        ),
        "billing": create_ticket(
            subject="发票抬头错误", department_id=other_department.pk, created_at=base + dt.timedelta(days=6),
        ),
        "colleague": colleague,
        "account": account,
        "buyer": buyer,
        "base": base,
    }  # fmt: skip


def ContactRefFor(contact):  # noqa: N802 - reads like the dataclass it builds
    from kefu.tickets.inputs import ContactRef

    return ContactRef(contact_id=contact.pk)


FILTERS = [
    ({"status": "已关闭"}, ["refund"]),
    ({"status": "closed"}, ["refund"]),
    ({"status": "ON HOLD"}, ["router"]),
    ({"status": "新建"}, ["printer"]),
    ({"status_type": "open"}, ["printer"]),
    ({"status_type": "on_hold"}, ["router"]),
    ({"status_type": "closed"}, ["refund"]),
    ({"priority": "高"}, ["printer"]),
    ({"priority": "low"}, ["router"]),
    ({"priority": "中"}, ["refund"]),
    ({"channel": "email"}, ["printer"]),
    ({"channel": "phone"}, ["refund"]),
    ({"channel": "chat"}, []),
    ({"tag": "打印机"}, ["printer"]),
    ({"tag": "vip"}, ["refund"]),
    ({"tag": "无"}, []),
    ({"assignee_id": "me"}, ["printer"]),
    ({"assignee_id": "none"}, ["refund"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_list_filters(api, varied, query, expected):
    assert ids(api.get(URL, query)) == [
        varied[name].pk for name in sorted(expected, key=lambda n: -varied[n].pk)
    ]


@pytest.mark.django_db
def test_list_filters_by_ids(api, varied, department, other_department):
    status = Status.objects.get(name="搁置")
    priority = Priority.objects.get(name="高")
    assert ids(api.get(URL, {"status": status.pk})) == [varied["router"].pk]
    assert ids(api.get(URL, {"priority": priority.pk})) == [varied["printer"].pk]
    assert ids(api.get(URL, {"assignee_id": varied["colleague"].user.pk})) == [varied["router"].pk]
    assert ids(api.get(URL, {"contact_id": varied["buyer"].pk})) == [varied["refund"].pk]
    assert ids(api.get(URL, {"account_id": varied["account"].pk})) == [varied["refund"].pk]
    assert ids(api.get(URL, {"department_id": department.pk})) == [
        varied["router"].pk, varied["refund"].pk, varied["printer"].pk,
    ]  # fmt: skip
    assert ids(api.get(URL, {"department_id": other_department.pk})) == []
    assert ids(api.get(URL, {"status": "处理中", "priority": "高"})) == []
    assert ids(api.get(URL, {"status": "新建", "priority": "高", "channel": "email"})) == [
        varied["printer"].pk
    ]


@pytest.mark.django_db
def test_list_filters_by_time(api, varied):
    base = varied["base"]
    far_east = dt.timezone(dt.timedelta(hours=20, minutes=11))
    assert ids(
        api.get(URL, {"created_after": (base + dt.timedelta(days=1)).astimezone(far_east).isoformat()})
    ) == [
        varied["router"].pk,
        varied["refund"].pk,
    ]
    after = {"created_after": (base + dt.timedelta(days=1)).isoformat()}
    assert ids(api.get(URL, after)) == [varied["router"].pk, varied["refund"].pk]
    before = {"created_before": (base + dt.timedelta(days=2)).isoformat()}
    assert ids(api.get(URL, before)) == [varied["printer"].pk]
    window = {
        "updated_after": (base + dt.timedelta(days=2)).isoformat(),
        "updated_before": (base + dt.timedelta(days=4)).isoformat(),
    }
    assert ids(api.get(URL, window)) == [varied["refund"].pk]
    assert ids(api.get(URL, {"created_after": "2999-01-01T00:00:00+08:00"})) == []


@pytest.mark.django_db
def test_an_administrator_lists_every_department(admin_api, varied):
    assert ids(admin_api.get(URL)) == [
        varied["billing"].pk, varied["router"].pk, varied["refund"].pk, varied["printer"].pk,
    ]  # fmt: skip


@pytest.mark.django_db
def test_an_agent_lists_only_their_departments_and_never_trashed_tickets(
    api_client_for, varied, other_agent, admin_api
):
    assert ids(api_client_for(other_agent).get(URL)) == [varied["billing"].pk]
    assert admin_api.delete(f"{URL}/{varied['billing'].pk}").status_code == 204
    assert ids(api_client_for(other_agent).get(URL)) == []


@pytest.fixture
def indexed(create_ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tickets = {
            "printer": create_ticket(subject="打印机无法连接网络"),
            "refund": create_ticket(subject="申请退款", description="订单已经取消"),
            "router": create_ticket(subject="Router keeps rebooting every night"),
        }
    return tickets


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("打印机", ["printer"]),
        ("网络", ["printer"]),
        ("连接网络", ["printer"]),
        ("退款", ["refund"]),
        ("订单", ["refund"]),
        ("router", ["router"]),
        ("REBOOTING", ["router"]),
        ("rebooting night", ["router"]),
        ("router 打印机", ["printer", "router"]),
        ("冰箱", []),
        ("  ", ["router", "refund", "printer"]),
    ],
)
def test_q_searches_segmented_words(api, indexed, q, expected):
    assert ids(api.get(URL, {"q": q})) == [indexed[name].pk for name in expected]


@pytest.mark.django_db
def test_q_finds_words_of_a_reply_and_a_ticket_number(api, indexed, django_capture_on_commit_callbacks):
    printer = indexed["printer"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post_json(f"{URL}/{printer.pk}/threads", {"body": "请更新固件版本"}).status_code == 201
    assert ids(api.get(URL, {"q": "固件"})) == [printer.pk]
    assert ids(api.get(URL, {"q": f"#{printer.number}"})) == [printer.pk]
    assert ids(api.get(URL, {"q": str(indexed["router"].number)})) == [indexed["router"].pk]


@pytest.mark.django_db
def test_q_never_finds_tickets_of_other_departments(api_client_for, other_agent, indexed):
    assert ids(api_client_for(other_agent).get(URL, {"q": "打印机"})) == []
    assert ids(api_client_for(other_agent).get(URL, {"q": str(indexed["printer"].number)})) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sort", ["created_at", "-created_at", "updated_at", "-updated_at", "number", "-number"]
)
def test_sort_in_both_directions(api, create_ticket, sort):
    base = timezone.now() - dt.timedelta(days=1)
    # created out of number order, and two at the same instant to test the tie-break by id
    offsets = [3, 1, 2, 2, 0]
    tickets = [
        create_ticket(subject=f"t{i}", created_at=base + dt.timedelta(hours=h)) for i, h in enumerate(offsets)
    ]
    field = sort.lstrip("-")
    descending = sort.startswith("-")
    expected = sorted(tickets, key=lambda t: (getattr(t, field), t.pk), reverse=descending)
    assert ids(api.get(URL, {"sort": sort})) == [t.pk for t in expected]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["-created_at", "created_at", "updated_at", "-number"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_cursor_pagination_walks_every_page_without_duplicates_or_gaps(api, create_ticket, sort, limit):
    base = timezone.now() - dt.timedelta(days=1)
    tickets = [
        create_ticket(subject=f"t{i}", created_at=base + dt.timedelta(minutes=i // 2)) for i in range(7)
    ]
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        query = {"sort": sort, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = api.get(URL, query)
        assert response.status_code == 200
        body = response.json()
        assert len(body["items"]) <= limit
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert pages < 20
    field = sort.lstrip("-")
    expected = sorted(tickets, key=lambda t: (getattr(t, field), t.pk), reverse=sort.startswith("-"))
    assert seen == [t.pk for t in expected]
    assert pages == -(-7 // limit)


@pytest.mark.django_db
def test_a_page_exactly_full_ends_without_an_empty_page(api, create_ticket):
    for i in range(4):
        create_ticket(subject=f"t{i}")
    first = api.get(URL, {"limit": 2}).json()
    second = api.get(URL, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 2
    assert second["next_cursor"] is None


@pytest.mark.django_db
def test_a_cursor_survives_new_tickets(api, create_ticket):
    old = [create_ticket(subject=f"t{i}") for i in range(3)]
    first = api.get(URL, {"limit": 2}).json()
    create_ticket(subject="新的")
    second = api.get(URL, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [item["id"] for item in first["items"] + second["items"]] == [t.pk for t in reversed(old)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        cursor_of({"a": 1}),
        cursor_of(["-created_at", "not a date", 1]),
        cursor_of(["-created_at", "2026-01-01T00:00:00", 1]),  # no offset
        cursor_of(["-created_at", "0001-01-01T00:00:00+08:00", 1]),  # before the year 1 in UTC
        cursor_of(["number", 1, 1]),  # made for another sort
        cursor_of(["-created_at", "2026-01-01T00:00:00+00:00", "two"]),
        cursor_of(["-created_at", "2026-01-01T00:00:00+00:00", 1, 1]),
        cursor_of(["-created_at", True, 1]),
        cursor_of(["-created_at", 5, 1]),
        cursor_of(["-created_at", "2026-01-01T00:00:00+00:00", 10**30]),
        cursor_of(["-created_at", "2026-01-01T00:00:00+00:00", 0]),
    ],
)
def test_a_bad_cursor_is_400_naming_cursor(api, create_ticket, cursor):
    create_ticket()
    error = error_of(api.get(URL, {"cursor": cursor}), 400)
    assert error["code"] == "bad_cursor"
    assert set(error["fields"]) == {"cursor"}


@pytest.mark.django_db
def test_a_number_cursor_is_refused_for_a_date_sort(api, create_ticket):
    for i in range(3):
        create_ticket(subject=f"t{i}")
    cursor = api.get(URL, {"limit": 1, "sort": "number"}).json()["next_cursor"]
    assert api.get(URL, {"limit": 1, "sort": "number", "cursor": cursor}).status_code == 200
    assert (
        error_of(api.get(URL, {"limit": 1, "sort": "-created_at", "cursor": cursor}), 400)["code"]
        == "bad_cursor"
    )


BAD_FILTERS = [
    ({"limit": 101}, "limit"),
    ({"limit": 0}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"sort": "subject"}, "sort"),
    ({"sort": "-id; drop table"}, "sort"),
    ({"status_type": "pending"}, "status_type"),
    ({"channel": "pigeon"}, "channel"),
    ({"status": "不存在"}, "status"),
    ({"status": "987654"}, "status"),
    ({"status": str(BIG)}, "status"),
    ({"priority": "bogus"}, "priority"),
    ({"priority": "99999999999999999999999"}, "priority"),
    ({"department_id": str(BIG)}, "department_id"),
    ({"department_id": "x"}, "department_id"),
    ({"contact_id": str(BIG)}, "contact_id"),
    ({"account_id": "-1"}, "account_id"),
    ({"assignee_id": "someone"}, "assignee_id"),
    ({"assignee_id": str(BIG)}, "assignee_id"),
    ({"assignee_id": "-5"}, "assignee_id"),
    ({"created_after": "yesterday"}, "created_after"),
    ({"updated_before": "2026-13-45"}, "updated_before"),
    ({"created_after": "0001-01-01T00:00:00+08:00"}, "created_after"),
    ({"created_before": "9999-12-31T23:59:59-08:00"}, "created_before"),
    ({"q": "a\x00b"}, "q"),
    ({"tag": "a\x00b"}, "tag"),
    ({"q": "x" * 501}, "q"),
    ({"cursor": "a\x00b"}, "cursor"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "field"), BAD_FILTERS, ids=[f for _q, f in BAD_FILTERS])
def test_bad_list_parameters_are_4xx_naming_the_parameter(api, create_ticket, query, field):
    create_ticket()
    response = api.get(URL, query)
    assert response.status_code in (400, 422), response.content
    error = error_of(response, response.status_code)
    assert field in error["fields"], error
    expected_status = 400 if field == "cursor" and "\x00" not in query.get("cursor", "") else 422
    assert response.status_code == expected_status


@pytest.mark.django_db
def test_a_number_of_digits_in_q_beyond_64_bits_is_a_plain_search(api, indexed):
    assert ids(api.get(URL, {"q": "9" * 30})) == []


# --- get / patch / delete -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_get_answers_the_ticket(api, ticket):
    response = api.get(f"{URL}/{ticket.pk}")
    assert response.status_code == 200
    assert response.json() == expected_ticket(ticket)
    assert response.json()["contact_id"] == Contact.objects.get(email="wang.fang@example.cn").pk


@pytest.mark.django_db
def test_get_an_unknown_ticket_is_404(api, ticket):
    error = error_of(api.get(f"{URL}/987654"), 404)
    assert error["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("ticket_id", ["0", "-1", str(BIG), "9" * 30, "abc", "1.5", "null,null", "%00"])
@pytest.mark.parametrize(
    "suffix", ["", "/threads", "/comments", "/history", "/attachments", "/attachments/1/download"]
)
def test_an_id_that_cannot_exist_in_the_path_is_422_json(api, ticket, ticket_id, suffix):
    error = error_of(api.get(f"{URL}/{ticket_id}{suffix}"), 422)
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"ticket_id"}
    download = error_of(api.get(f"{URL}/{ticket.pk}/attachments/{ticket_id}/download"), 422)
    assert set(download["fields"]) == {"attachment_id"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/nothing-here"),
        ("post", "/api/v1/tickets/1/nothing"),
        ("get", "/api/v1/tickets/"),
        ("get", "/api/v1/"),
    ],
)
def test_an_unknown_api_path_is_a_json_404(api, method, path):
    error = error_of(getattr(api, method)(path), 404)
    assert error["code"] == "not_found"


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404_without_a_key_too(api_client_for):
    assert error_of(api_client_for(None).get("/api/v1/nothing-here"), 404)["code"] == "not_found"


@pytest.mark.django_db
def test_patch_changes_fields_and_answers_the_ticket(api, ticket, agent):
    response = api.patch_json(
        f"{URL}/{ticket.pk}",
        {"subject": "打印机离线", "priority": "Urgent", "assignee_id": agent.user.pk, "tags": ["a", "b"]},
    )
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert response.json() == expected_ticket(ticket)
    assert (ticket.subject, ticket.priority.name, ticket.assignee_id) == ("打印机离线", "紧急", agent.user.pk)
    assert response.json()["tags"] == ["a", "b"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload_key", "value"), [("status", "已关闭"), ("status", "closed"), ("status_id", "已关闭")]
)
def test_closing_sets_closed_at_and_reopening_clears_it(api, ticket, payload_key, value):
    if payload_key == "status_id":
        value = Status.objects.get(name=value).pk
    closed = api.patch_json(f"{URL}/{ticket.pk}", {payload_key: value})
    assert closed.status_code == 200, closed.content
    ticket.refresh_from_db()
    assert ticket.status.name == "已关闭"
    assert ticket.closed_at is not None
    assert ticket.closed_at == ticket.updated_at
    assert (closed.json()["status"], closed.json()["status_type"], closed.json()["closed_at"]) == (
        "已关闭", "closed", iso(ticket.closed_at),
    )  # fmt: skip
    reopened = api.patch_json(f"{URL}/{ticket.pk}", {"status_id": Status.objects.get(name="处理中").pk})
    assert reopened.status_code == 200
    ticket.refresh_from_db()
    assert ticket.closed_at is None
    assert (reopened.json()["status"], reopened.json()["closed_at"]) == ("处理中", None)


@pytest.mark.django_db
def test_patch_can_unassign(api, create_ticket, agent):
    ticket = create_ticket(assignee_id=agent.user.pk)
    response = api.patch_json(f"{URL}/{ticket.pk}", {"assignee_id": None})
    assert response.status_code == 200, response.content
    assert response.json()["assignee_id"] is None
    ticket.refresh_from_db()
    assert ticket.assignee_id is None


BAD_PATCHES = [
    ({"status": "bogus"}, "status"),
    ({"status_id": 987654}, "status"),
    ({"status": None}, "status"),
    ({"priority": "bogus"}, "priority"),
    ({"priority_id": BIG}, "priority_id"),
    ({"assignee_id": 987654}, "assignee_id"),
    ({"department_id": 987654}, "department_id"),
    ({"department_id": None}, "department_id"),
    ({"contact_id": 987654}, "contact_id"),
    ({"contact_id": None}, "contact_id"),
    ({"subject": ""}, "subject"),
    ({"subject": None}, "subject"),
    ({"subject": "x" * 256}, "subject"),
    ({"channel": "pigeon"}, "channel"),
    ({"channel": None}, "channel"),
    ({"language": "xx"}, "language"),
    ({"tags": None}, "tags"),
    ({"custom_fields": {"nope": 1}}, "custom_fields.nope"),
    ({"description": "a\x00"}, "description"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"), BAD_PATCHES, ids=[f"{f}-{i}" for i, (_p, f) in enumerate(BAD_PATCHES)]
)
def test_bad_patch_values_are_422_naming_the_field(api, ticket, payload, field):
    before = snapshot_db(ticket)
    error = error_of(api.patch_json(f"{URL}/{ticket.pk}", payload), 422)
    assert error["code"] == "validation_failed"
    assert field in error["fields"], error
    assert snapshot_db(ticket) == before


@pytest.mark.django_db
def test_an_empty_patch_is_422(api, ticket):
    error = error_of(api.patch_json(f"{URL}/{ticket.pk}", {}), 422)
    assert set(error["fields"]) == {"__all__"}


@pytest.mark.django_db
def test_patch_of_an_unknown_ticket_is_404(api, ticket):
    assert error_of(api.patch_json(f"{URL}/987654", {"subject": "x"}), 404)["code"] == "not_found"


@pytest.mark.django_db
def test_moving_a_ticket_to_another_department_drops_an_assignee_who_does_not_work_there(
    admin_api, create_ticket, agent, other_department
):
    ticket = create_ticket(assignee_id=agent.user.pk)
    response = admin_api.patch_json(f"{URL}/{ticket.pk}", {"department_id": other_department.pk})
    assert response.status_code == 200
    assert (response.json()["department_id"], response.json()["assignee_id"]) == (other_department.pk, None)


@pytest.mark.django_db
def test_delete_moves_to_the_trash_then_404(admin_api, ticket):
    response = admin_api.delete(f"{URL}/{ticket.pk}")
    assert response.status_code == 204
    assert response.content == b""
    ticket.refresh_from_db()
    assert ticket.deleted_at is not None
    assert error_of(admin_api.get(f"{URL}/{ticket.pk}"), 404)["code"] == "not_found"
    assert error_of(admin_api.delete(f"{URL}/{ticket.pk}"), 404)["code"] == "not_found"
    assert error_of(admin_api.patch_json(f"{URL}/{ticket.pk}", {"subject": "x"}), 404)["code"] == "not_found"
    assert ids(admin_api.get(URL)) == []


@pytest.mark.django_db
def test_an_agent_without_the_delete_right_gets_403(api, ticket):
    before = snapshot_db(ticket)
    assert error_of(api.delete(f"{URL}/{ticket.pk}"), 403)["code"] == "permission_denied"
    assert snapshot_db(ticket) == before


# --- conversation -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reply_goes_to_the_contact_by_default(api, ticket, agent):
    response = api.post_json(
        f"{URL}/{ticket.pk}/threads", {"body": "您好，\n\n请重启路由器。", "cc": ["Boss@Example.cn"]}
    )
    assert response.status_code == 201, response.content
    first_message = Thread.objects.get(direction=Thread.Direction.INBOUND)
    thread = Thread.objects.get(direction=Thread.Direction.OUTBOUND)
    assert response.json() == {
        "id": thread.pk,
        "ticket_id": ticket.pk,
        "direction": "out",
        "channel": "email",
        "author_user_id": agent.user.pk,
        "author_contact_id": None,
        "from_address": "",
        "to": ["wang.fang@example.cn"],
        "cc": ["boss@example.cn"],
        "subject": "打印机无法连接网络",
        "body_html": "<p>您好，</p><p>请重启路由器。</p>",
        "body_text": "您好，\n\n请重启路由器。",
        "delivery_status": "",
        "delivery_error": "",
        "scheduled": False,
        "send_at": None,
        "attachments": [],
        "created_at": iso(thread.created_at),
    }
    ticket.refresh_from_db()
    assert ticket.first_responded_at == thread.created_at
    listed = api.get(f"{URL}/{ticket.pk}/threads")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [first_message.pk, thread.pk]
    assert listed.json()["items"][1] == response.json()
    assert listed.json()["next_cursor"] is None


@pytest.mark.django_db
def test_a_reply_with_explicit_recipients(api, ticket):
    response = api.post_json(
        f"{URL}/{ticket.pk}/threads", {"body": "hi", "to": ["A@Example.cn", "a@example.cn"]}
    )
    assert response.status_code == 201
    assert response.json()["to"] == ["a@example.cn"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "<script>x</script>"}, "body"),
        ({"body": "a\x00"}, "body"),
        ({"body": "hi", "to": ["not an address"]}, "to"),
        ({"body": "hi", "cc": "x@y.cn"}, "cc"),
        ({"body": "hi", "bcc": [1]}, "bcc.0"),
        ({"body": "hi", "attachment_ids": [987654]}, "attachment_ids"),
        ({"body": "hi", "attachment_ids": [BIG]}, "attachment_ids.0"),
        ({"body": "x" * 200_001}, "body"),
    ],
)
def test_a_bad_reply_is_422_and_writes_nothing(api, ticket, payload, field):
    before = snapshot_db(ticket)
    error = error_of(api.post_json(f"{URL}/{ticket.pk}/threads", payload), 422)
    assert field in error["fields"], error
    assert snapshot_db(ticket) == before


@pytest.mark.django_db
def test_a_reply_carries_uploaded_attachments(api, ticket):
    upload = api.post(f"{URL}/{ticket.pk}/attachments", {"file": io.BytesIO(PNG)})
    assert upload.status_code == 201, upload.content
    attachment_id = upload.json()["id"]
    response = api.post_json(
        f"{URL}/{ticket.pk}/threads", {"body": "见附件", "attachment_ids": [attachment_id]}
    )
    assert response.status_code == 201, response.content
    thread = Thread.objects.get(direction=Thread.Direction.OUTBOUND)
    attachment = Attachment.objects.get()
    assert response.json()["attachments"] == [
        {
            "id": attachment_id,
            "filename": attachment.filename,
            "size": len(PNG),
            "content_type": "image/png",
            "thread_id": thread.pk,
            "comment_id": None,
            "created_at": iso(attachment.created_at),
        }
    ]
    again = api.post_json(
        f"{URL}/{ticket.pk}/threads", {"body": "再发一次", "attachment_ids": [attachment_id]}
    )
    assert set(error_of(again, 422)["fields"]) == {"attachment_ids"}
    assert Thread.objects.filter(direction=Thread.Direction.OUTBOUND).count() == 1


@pytest.mark.django_db
def test_an_attachment_of_another_ticket_cannot_be_sent(api, create_ticket):
    first, second = create_ticket(), create_ticket()
    attachment_id = api.post(f"{URL}/{first.pk}/attachments", {"file": io.BytesIO(b"hello")}).json()["id"]
    response = api.post_json(f"{URL}/{second.pk}/threads", {"body": "x", "attachment_ids": [attachment_id]})
    assert set(error_of(response, 422)["fields"]) == {"attachment_ids"}
    assert Attachment.objects.get().thread_id is None


@pytest.mark.django_db
def test_reply_is_idempotent(api, ticket):
    first = api.post_json(f"{URL}/{ticket.pk}/threads", {"body": "hi"}, headers={"Idempotency-Key": "r1"})
    second = api.post_json(f"{URL}/{ticket.pk}/threads", {"body": "hi"}, headers={"Idempotency-Key": "r1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Thread.objects.filter(direction=Thread.Direction.OUTBOUND).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("public", [False, True])
def test_comments_public_and_internal_with_mentions(api, ticket, agent, public):
    colleague = AgentFactory(departments=[ticket.department])
    response = api.post_json(
        f"{URL}/{ticket.pk}/comments",
        {"body": "@同事 请看一下", "public": public, "mention_ids": [colleague.user.pk]},
    )
    assert response.status_code == 201, response.content
    comment = Comment.objects.get()
    assert response.json() == {
        "id": comment.pk,
        "author_id": agent.user.pk,
        "body_html": "<p>@同事 请看一下</p>",
        "body_text": "@同事 请看一下",
        "public": public,
        "mention_ids": [colleague.user.pk],
        "attachments": [],
        "created_at": iso(comment.created_at),
    }
    assert comment.is_public is public
    listed = api.get(f"{URL}/{ticket.pk}/comments")
    assert listed.json() == {"items": [response.json()], "next_cursor": None}


@pytest.mark.django_db
def test_a_comment_carries_an_attachment(api, ticket):
    attachment_id = api.post(f"{URL}/{ticket.pk}/attachments", {"file": io.BytesIO(b"hello")}).json()["id"]
    response = api.post_json(
        f"{URL}/{ticket.pk}/comments", {"body": "日志", "attachment_ids": [attachment_id]}
    )
    assert response.status_code == 201
    assert [(a["id"], a["comment_id"]) for a in response.json()["attachments"]] == [
        (attachment_id, Comment.objects.get().pk)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x", "public": "sometimes"}, "public"),
        ({"body": "x", "mention_ids": [987654]}, "mention_ids"),
        ({"body": "x", "mention_ids": ["me"]}, "mention_ids.0"),
        ({"body": "x", "attachment_ids": [987654]}, "attachment_ids"),
    ],
)
def test_a_bad_comment_is_422(api, ticket, payload, field):
    before = snapshot_db(ticket)
    assert field in error_of(api.post_json(f"{URL}/{ticket.pk}/comments", payload), 422)["fields"]
    assert snapshot_db(ticket) == before


@pytest.mark.django_db
def test_mentioning_an_agent_who_cannot_see_the_ticket_is_422(api, ticket, other_agent):
    response = api.post_json(
        f"{URL}/{ticket.pk}/comments", {"body": "x", "mention_ids": [other_agent.user.pk]}
    )
    assert set(error_of(response, 422)["fields"]) == {"mention_ids"}
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_threads_and_comments_paginate_oldest_first(api, ticket):
    for i in range(3):
        assert api.post_json(f"{URL}/{ticket.pk}/threads", {"body": f"回复{i}"}).status_code == 201
        assert api.post_json(f"{URL}/{ticket.pk}/comments", {"body": f"备注{i}"}).status_code == 201
    # The customer's first message opens the conversation.
    for kind, expected in (
        ("threads", ["按照说明书操作后仍然连不上。", "回复0", "回复1", "回复2"]),
        ("comments", ["备注0", "备注1", "备注2"]),
    ):
        first = api.get(f"{URL}/{ticket.pk}/{kind}", {"limit": 2}).json()
        second = api.get(f"{URL}/{ticket.pk}/{kind}", {"limit": 2, "cursor": first["next_cursor"]}).json()
        assert [item["body_text"] for item in first["items"] + second["items"]] == expected
        assert second["next_cursor"] is None
        assert error_of(api.get(f"{URL}/{ticket.pk}/{kind}", {"cursor": "nope"}), 400)["code"] == "bad_cursor"
        assert "limit" in error_of(api.get(f"{URL}/{ticket.pk}/{kind}", {"limit": 101}), 422)["fields"]


@pytest.mark.django_db
def test_history_lists_every_change_in_order(api, admin_agent, agent, create_ticket, department):
    ticket = create_ticket()
    url = f"{URL}/{ticket.pk}"
    assert api.patch_json(url, {"priority": "高", "assignee_id": agent.user.pk}).status_code == 200
    assert api.patch_json(url, {"status": "已关闭"}).status_code == 200
    assert api.post_json(f"{url}/threads", {"body": "已处理"}).status_code == 201
    assert api.post_json(f"{url}/comments", {"body": "备注"}).status_code == 201
    assert api.post_json(f"{url}/tags", {"add": ["打印机"]}).status_code == 200
    assert api.post_json(f"{url}/followers", {}).status_code == 204
    assert upload(api, ticket, b"x", "log.txt").status_code == 201
    response = api.get(f"{url}/history")
    assert response.status_code == 200
    items = response.json()["items"]
    high, medium = Priority.objects.get(name="高"), Priority.objects.get(name="中")
    new, closed = Status.objects.get(name="新建"), Status.objects.get(name="已关闭")
    first_message = Thread.objects.get(direction=Thread.Direction.INBOUND)
    reply = Thread.objects.get(direction=Thread.Direction.OUTBOUND)
    ticket.refresh_from_db()
    created_state = {
        "number": ticket.number,
        "subject": "打印机无法连接网络",
        "status": {"id": new.pk, "name": "新建", "type": "open"},
        "priority": {"id": medium.pk, "name": "中"},
        "type": None,
        "department": {"id": department.pk, "name": "售后服务"},
        "team": None,
        "assignee": None,
        "channel": "web",
        "contact": {"id": ticket.contact_id, "name": "王芳", "email": "wang.fang@example.cn"},
        "account": None,
        "brand": None,
        "parent": None,
        "follow_up_of": None,
        "category": "",
        "sub_category": "",
        "product": "",
        "language": "",
        "tags": [],
        "custom_fields": {},
        "first_message": first_message.pk,
        "cc_contacts": [],
        "attachments": [],
    }
    assert [(e["action"], e["field"], e["old_value"], e["new_value"]) for e in items] == [
        ("ticket.created", "", None, created_state),
        ("ticket.updated", "assignee", None, {"id": agent.user.pk, "name": "张伟"}),
        ("ticket.updated", "priority", {"id": medium.pk, "name": "中"}, {"id": high.pk, "name": "高"}),
        (
            "ticket.updated",
            "status",
            {"id": new.pk, "name": "新建", "type": "open"},
            {"id": closed.pk, "name": "已关闭", "type": "closed"},
        ),
        ("ticket.replied", "threads", None, {"id": reply.pk}),
        ("ticket.replied", "first_responded_at", None, ticket.first_responded_at.isoformat()),
        ("ticket.commented", "comments", None, {"id": Comment.objects.get().pk, "public": False}),
        ("ticket.updated", "tags", [], ["打印机"]),
        ("ticket.followed", "followers", None, {"id": agent.user.pk, "name": "张伟"}),
        (
            "ticket.attachment_added",
            "attachments",
            None,
            {"id": Attachment.objects.get().pk, "name": "log.txt"},
        ),
    ]
    assert [(e["actor_kind"], e["actor_id"], e["source"]) for e in items] == [("system", None, "import")] + [
        ("agent", agent.user.pk, "api")
    ] * 9
    assert items[1]["actor_name"] == "张伟"
    # The rows of one change-set share its id; each change-set has its own.
    change_sets = list(TicketEvent.objects.order_by("id").values_list("change_set", flat=True))
    assert change_sets[1] == change_sets[2]
    assert change_sets[4] == change_sets[5]
    assert len(set(change_sets)) == 8
    event = TicketEvent.objects.order_by("id").first()
    assert items[0] == {
        "id": event.pk,
        "created_at": iso(event.created_at),
        "actor_kind": "system",
        "actor_id": None,
        "actor_name": "system",
        "source": "import",
        "action": "ticket.created",
        "field": "",
        "old_value": None,
        "new_value": created_state,
    }


# --- attachments --------------------------------------------------------------------------------------------


def upload(client, ticket, content: bytes, name: str = "file.bin"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(f"{URL}/{ticket.pk}/attachments", {"file": file})


@pytest.mark.django_db
def test_upload_sniffs_the_type_from_the_bytes(api, ticket, agent):
    response = upload(api, ticket, PNG, "notes.txt")
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert response.json() == {
        "id": attachment.pk,
        "filename": "notes.txt",
        "size": len(PNG),
        "content_type": "image/png",
        "thread_id": None,
        "comment_id": None,
        "created_at": iso(attachment.created_at),
    }
    assert attachment.uploaded_by_id == agent.user.pk
    listed = api.get(f"{URL}/{ticket.pk}/attachments")
    assert listed.status_code == 200
    assert listed.json() == [response.json()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        ("中文日志\n".encode(), "log.png", "text/plain"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "scan.jpg", "application/pdf"),
        (b"\x00\x01\x02\xff\xfe", "data", "application/octet-stream"),
    ],
)
def test_upload_types(api, ticket, content, name, content_type):
    response = upload(api, ticket, content, name)
    assert response.status_code == 201
    assert (response.json()["filename"], response.json()["content_type"]) == (name, content_type)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "stored"), [("../../etc/passwd", "passwd"), ("C:\\x\\报告.pdf", "报告.pdf")]
)
def test_upload_keeps_only_the_base_name(api, ticket, name, stored):
    assert upload(api, ticket, b"abc", name).json()["filename"] == stored


@pytest.mark.django_db
def test_upload_over_the_limit_is_413(api, ticket, settings):
    settings.KEFU_MAX_ATTACHMENT_BYTES = 10
    error = error_of(upload(api, ticket, b"x" * 11), 413)
    assert error["code"] == "payload_too_large"
    assert set(error["fields"]) == {"file"}
    assert not Attachment.objects.exists()
    assert upload(api, ticket, b"x" * 10).status_code == 201


@pytest.mark.django_db
def test_an_empty_upload_is_422(api, ticket):
    error = error_of(upload(api, ticket, b""), 422)
    assert set(error["fields"]) == {"file"}
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_upload_without_a_file_is_422(api, ticket):
    error = error_of(api.post(f"{URL}/{ticket.pk}/attachments", {}), 422)
    assert set(error["fields"]) == {"file"}


@pytest.mark.django_db
def test_download_answers_the_same_bytes_with_safe_headers(api, ticket):
    attachment_id = upload(api, ticket, PNG, "截图.png").json()["id"]
    response = api.get(f"{URL}/{ticket.pk}/attachments/{attachment_id}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_download_through_another_ticket_is_404(api, create_ticket):
    first, second = create_ticket(), create_ticket()
    attachment_id = upload(api, first, b"abc").json()["id"]
    assert (
        error_of(api.get(f"{URL}/{second.pk}/attachments/{attachment_id}/download"), 404)["code"]
        == "not_found"
    )
    assert error_of(api.get(f"{URL}/{first.pk}/attachments/987654/download"), 404)["code"] == "not_found"


# --- tags and followers -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tags_are_added_and_removed(api, create_ticket):
    ticket = create_ticket(tags=["旧", "vip"])
    response = api.post_json(f"{URL}/{ticket.pk}/tags", {"add": ["新", "VIP"], "remove": ["旧", "不存在"]})
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["vip", "新"]
    assert response.json() == expected_ticket(ticket)
    events = list(ticket.events.filter(field="tags").values_list("action", "old_value", "new_value"))
    assert events == [("ticket.updated", ["vip", "旧"], ["vip", "新"])]


@pytest.mark.django_db
def test_tags_unchanged_record_nothing(api, create_ticket):
    ticket = create_ticket(tags=["vip"])
    before = snapshot_db(ticket)
    assert api.post_json(f"{URL}/{ticket.pk}/tags", {"add": ["VIP"], "remove": ["x"]}).status_code == 200
    assert snapshot_db(ticket) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [({"add": "x"}, "add"), ({"remove": [1]}, "remove.0"), ({"add": ["x" * 65]}, "add.0")],
)
def test_bad_tags_are_422(api, ticket, payload, field):
    assert field in error_of(api.post_json(f"{URL}/{ticket.pk}/tags", payload), 422)["fields"]


@pytest.mark.django_db
def test_follow_and_unfollow(api, ticket, agent):
    assert api.post_json(f"{URL}/{ticket.pk}/followers", {}).status_code == 204
    assert list(ticket.followers.values_list("pk", flat=True)) == [agent.user.pk]
    assert api.post_json(f"{URL}/{ticket.pk}/followers", {}).status_code == 204
    me = {"id": agent.user.pk, "name": "张伟"}
    events = ticket.events.filter(action="ticket.followed").order_by("id")
    assert list(events.values_list("field", "old_value", "new_value")) == [("followers", None, me)]
    response = api.delete(f"{URL}/{ticket.pk}/followers", data="{}", content_type="application/json")
    assert response.status_code == 204
    assert not ticket.followers.exists()
    assert list(events.values_list("field", "old_value", "new_value")) == [
        ("followers", None, me),
        ("followers", me, None),
    ]


@pytest.mark.django_db
def test_adding_a_colleague_as_follower(api, ticket):
    colleague = AgentFactory(departments=[ticket.department])
    assert api.post_json(f"{URL}/{ticket.pk}/followers", {"user_id": colleague.user.pk}).status_code == 204
    assert list(ticket.followers.values_list("pk", flat=True)) == [colleague.user.pk]


@pytest.mark.django_db
def test_a_follower_who_cannot_see_the_ticket_is_422(api, ticket, other_agent):
    error = error_of(api.post_json(f"{URL}/{ticket.pk}/followers", {"user_id": other_agent.user.pk}), 422)
    assert set(error["fields"]) == {"user_id"}
    assert not ticket.followers.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("user_id", [987654, BIG])
def test_an_unknown_follower_is_4xx(api, ticket, user_id):
    response = api.post_json(f"{URL}/{ticket.pk}/followers", {"user_id": user_id})
    assert response.status_code in (404, 422)
    error = error_of(response, response.status_code)
    assert response.status_code == (404 if user_id == 987654 else 422)
    if user_id == BIG:
        assert set(error["fields"]) == {"user_id"}
    assert not ticket.followers.exists()


# --- permission matrix --------------------------------------------------------------------------------------


def attempts(ticket: Ticket, attachment: Attachment) -> list[tuple[str, str, dict | None]]:
    base = f"{URL}/{ticket.pk}"
    return [
        ("get", base, None),
        ("patch", base, {"subject": "改了"}),
        ("delete", base, None),
        ("get", f"{base}/threads", None),
        ("post", f"{base}/threads", {"body": "回复"}),
        ("get", f"{base}/comments", None),
        ("post", f"{base}/comments", {"body": "备注"}),
        ("get", f"{base}/history", None),
        ("get", f"{base}/attachments", None),
        ("post", f"{base}/tags", {"add": ["x"]}),
        ("post", f"{base}/followers", {}),
        ("delete", f"{base}/followers", {}),
        ("get", f"{base}/attachments/{attachment.pk}/download", None),
    ]


def send(client, method: str, url: str, payload: dict | None):
    if payload is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(payload), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(13))
def test_an_agent_of_another_department_gets_404_and_changes_nothing(
    api_client_for, other_agent, ticket, attachment, index
):
    ticket.followers.add(other_agent.user)
    method, url, payload = attempts(ticket, attachment)[index]
    before = snapshot_db(ticket)
    error = error_of(send(api_client_for(other_agent), method, url, payload), 404)
    assert error["code"] == "not_found"
    assert snapshot_db(ticket) == before


@pytest.mark.django_db
def test_an_agent_of_another_department_cannot_upload(api_client_for, other_agent, ticket):
    before = snapshot_db(ticket)
    error_of(upload(api_client_for(other_agent), ticket, b"abc"), 404)
    assert snapshot_db(ticket) == before


@pytest.mark.django_db
def test_a_user_without_an_agent_profile_sees_no_tickets(
    api_client_for, ticket, attachment, department, contact
):
    user = UserFactory()
    _key, secret = ApiKeyFactory.create(user)
    client = type(api_client_for(None))(secret)
    assert client.get(URL).json() == {"items": [], "next_cursor": None}
    before = snapshot_db(ticket)
    for method, url, payload in attempts(ticket, attachment):
        assert error_of(send(client, method, url, payload), 404)["code"] == "not_found", (method, url)
    assert snapshot_db(ticket) == before
    create = client.post_json(
        URL,
        {
            "subject": "x",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
        },
    )
    assert error_of(create, 403)["code"] == "permission_denied"
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_a_light_agent_reads_and_adds_internal_notes_only(
    api_client_for, light_agent, ticket, department, contact
):
    client = api_client_for(light_agent)
    base = f"{URL}/{ticket.pk}"
    assert client.get(base).json() == expected_ticket(ticket)
    assert ids(client.get(URL)) == [ticket.pk]
    assert client.get(f"{base}/history").status_code == 200
    before = snapshot_db(ticket)
    denied = [
        client.post_json(f"{base}/threads", {"body": "回复"}),
        client.patch_json(base, {"subject": "改了"}),
        client.patch_json(base, {"assignee_id": light_agent.user.pk}),
        client.post_json(f"{base}/comments", {"body": "公开", "public": True}),
        client.post_json(f"{base}/tags", {"add": ["x"]}),
        client.delete(base),
        client.post_json(f"{base}/followers", {"user_id": AgentFactory(departments=[department]).user.pk}),
        client.post_json(
            URL,
            {
                "subject": "x",
                "description": "重启后仍然不行。",
                "department_id": department.pk,
                "contact_id": contact.pk,
            },
        ),
    ]
    for response in denied:
        assert error_of(response, 403)["code"] == "permission_denied"
    assert snapshot_db(ticket) == before
    assert Ticket.objects.count() == 1
    internal = client.post_json(f"{base}/comments", {"body": "内部备注"})
    assert internal.status_code == 201
    assert (internal.json()["public"], internal.json()["author_id"]) == (False, light_agent.user.pk)
    assert list(Comment.objects.values_list("is_public", "author_id")) == [(False, light_agent.user.pk)]
    assert upload(client, ticket, b"abc").status_code == 201
    assert client.post_json(f"{base}/followers", {}).status_code == 204


@pytest.mark.django_db
def test_an_administrator_works_in_every_department(admin_api, create_ticket, other_department):
    ticket = create_ticket(department_id=other_department.pk)
    assert admin_api.get(f"{URL}/{ticket.pk}").status_code == 200
    assert admin_api.patch_json(f"{URL}/{ticket.pk}", {"priority": "高"}).status_code == 200
    assert admin_api.post_json(f"{URL}/{ticket.pk}/threads", {"body": "好的"}).status_code == 201
    dept = DepartmentFactory()
    contact = ContactFactory()
    created = admin_api.post_json(
        URL,
        {
            "subject": "x",
            "description": "重启后仍然不行。",
            "department_id": dept.pk,
            "contact_id": contact.pk,
        },
    )
    assert created.status_code == 201
    assert created.json()["department_id"] == dept.pk


# --- found while fuzzing by hand ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "³", "①", "١٢"])
@pytest.mark.parametrize("name", ["assignee_id", "status", "priority", "q"])
def test_unicode_digits_in_filters_are_not_a_500(api, create_ticket, name, value):
    create_ticket()
    response = api.get(URL, {name: value})
    assert response.status_code in (200, 422), response.content
    if response.status_code == 422:
        assert set(error_of(response, 422)["fields"]) == {name}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q", ['"', "*", "NEAR(", "(打印机", "a OR b", "-网络", "^x", "x:y", "🖨️", "'; --", "\\"]
)
def test_search_syntax_in_q_is_plain_text(api, indexed, q):
    assert api.get(URL, {"q": q}).status_code == 200


@pytest.mark.django_db
def test_moving_a_ticket_out_of_the_agents_departments_answers_the_moved_ticket(
    api, ticket, other_department
):
    response = api.patch_json(f"{URL}/{ticket.pk}", {"department_id": other_department.pk})
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert ticket.department_id == other_department.pk
    assert response.json() == expected_ticket(ticket)
    assert error_of(api.get(f"{URL}/{ticket.pk}"), 404)["code"] == "not_found"


@pytest.mark.django_db
def test_a_parent_ticket_of_another_department_is_unknown(
    api, create_ticket, other_department, department, contact
):
    hidden = create_ticket(department_id=other_department.pk)
    mine = create_ticket()
    created = api.post_json(
        URL,
        {
            "subject": "x",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
            "parent_id": hidden.pk,
        },
    )
    assert set(error_of(created, 422)["fields"]) == {"parent_id"}
    patched = api.patch_json(f"{URL}/{mine.pk}", {"parent_id": hidden.pk})
    assert set(error_of(patched, 422)["fields"]) == {"parent_id"}
    mine.refresh_from_db()
    assert mine.parent_id is None
    child = api.post_json(
        URL,
        {
            "subject": "x",
            "description": "重启后仍然不行。",
            "department_id": department.pk,
            "contact_id": contact.pk,
            "parent_id": mine.pk,
        },
    )
    assert child.status_code == 201
    assert child.json()["parent_id"] == mine.pk


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["a\x00b", "\x1b[2J"])
def test_control_characters_in_an_idempotency_key_are_422(api, department, contact, key):
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
    }
    error = error_of(api.post_json(URL, payload, headers={"Idempotency-Key": key}), 422)
    assert set(error["fields"]) == {"Idempotency-Key"}
    assert not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer kefu_ab\x00cd_secret"},
        {"Authorization": "Bearer kefu_abcd_sec\x00ret"},
        {"X-API-Key": "kefu_\x00_x"},
    ],
)
def test_nul_in_a_key_is_401(api_client_for, agent, headers):
    error = error_of(api_client_for(None).get(URL, headers=headers), 401)
    assert error["code"] == "unauthenticated"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("", lambda create_ticket, ticket: create_ticket()),
        ("/threads", lambda create_ticket, ticket: reply_to(ticket)),
        ("/comments", lambda create_ticket, ticket: comment_on(ticket)),
        ("/history", lambda create_ticket, ticket: comment_on(ticket)),
        ("/attachments", lambda create_ticket, ticket: attach_to(ticket)),
    ],
)
def test_lists_cost_a_fixed_number_of_queries(
    api, create_ticket, ticket, django_assert_num_queries, path, make
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = URL if path == "" else f"{URL}/{ticket.pk}{path}"
    make(create_ticket, ticket)
    api.get(url)  # the first request may record the key's last use
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).status_code == 200
    for _ in range(4):
        make(create_ticket, ticket)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def reply_to(ticket):
    from kefu.core.actors import Actor, Source
    from kefu.tickets.inputs import ReplyInput
    from kefu.tickets.services import attachment_add, ticket_reply

    attachment = attachment_add(
        actor=Actor.system(), source=Source.IMPORT, ticket=ticket, filename="a.txt", content=io.BytesIO(b"a")
    )
    ticket_reply(
        actor=Actor.system(),
        source=Source.IMPORT,
        ticket=ticket,
        data=ReplyInput(body="回复", attachment_ids=[attachment.pk]),
    )


def comment_on(ticket):
    from kefu.core.actors import Actor, Source
    from kefu.tickets.inputs import CommentInput
    from kefu.tickets.services import ticket_comment

    mentioned = AgentFactory(departments=[ticket.department])
    ticket_comment(
        actor=Actor.system(),
        source=Source.IMPORT,
        ticket=ticket,
        data=CommentInput(body="备注", mention_ids=[mentioned.user_id]),
    )


def attach_to(ticket):
    from kefu.core.actors import Actor, Source
    from kefu.tickets.services import attachment_add

    attachment_add(
        actor=Actor.system(), source=Source.IMPORT, ticket=ticket, filename="a.txt", content=io.BytesIO(b"a")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["a\x00b", "\ud800", ["x\x00"], {"k": "\x00"}])
def test_a_custom_field_value_no_database_can_store_is_422(api, department, contact, custom_fields, value):
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
        "custom_fields": {"order_no": value},
    }
    error = error_of(api.post_json(URL, payload), 422)
    assert [name for name in error["fields"] if name.startswith("custom_fields")], error
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_a_body_over_the_request_size_limit_is_413(api, department, contact, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    payload = {
        "subject": "x",
        "department_id": department.pk,
        "contact_id": contact.pk,
        "description": "长" * 20_000,
    }
    error = error_of(api.post_json(URL, payload), 413)
    assert error["code"] == "payload_too_large"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_too_many_form_fields_is_400(api, ticket, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = {f"f{i}": "x" for i in range(10)}
    error = error_of(api.post(f"{URL}/{ticket.pk}/attachments", {**fields, "file": io.BytesIO(b"abc")}), 400)
    assert error["code"] == "bad_request"
    assert not Attachment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer kefu_nope_nope"}])
def test_a_write_without_a_key_is_401_even_where_csrf_is_enforced(
    api_client_for, department, contact, headers
):
    client = type(api_client_for(None))(None, enforce_csrf_checks=True)
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
    }
    error = error_of(client.post_json(URL, payload, headers=headers), 401)
    assert error["code"] == "unauthenticated"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_session_works_and_its_writes_need_the_csrf_token(
    api_client_for, agent, department, contact
):
    from kefu.org.tests.factories import PASSWORD

    client = type(api_client_for(None))(None, enforce_csrf_checks=True)
    assert client.login(username=agent.user.email, password=PASSWORD)
    assert client.get(URL).status_code == 200
    payload = {
        "subject": "x",
        "description": "重启后仍然不行。",
        "department_id": department.pk,
        "contact_id": contact.pk,
    }
    error = error_of(client.post_json(URL, payload), 403)
    assert error["code"] == "permission_denied"
    assert not Ticket.objects.exists()
    token = "k3fuCsrfT0kenOfThirtyTwoLetters1"
    client.cookies["csrftoken"] = token
    response = client.post_json(URL, payload, headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("body", ['"AAA"', "[null, null]", "[]", "42", "true", "null"])
@pytest.mark.parametrize("suffix", ["/tags", "/followers", "/threads", "/comments"])
def test_a_body_that_is_not_a_json_object_is_422_and_does_nothing(api, ticket, suffix, body):
    before = snapshot_db(ticket)
    response = api.post(f"{URL}/{ticket.pk}{suffix}", data=body, content_type="application/json")
    error = error_of(response, 422)
    assert error["code"] == "validation_failed"
    assert snapshot_db(ticket) == before
