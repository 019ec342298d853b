"""API errors in one shape and one language: the client's (Accept-Language), else the key owner's; JSON
for every failure (malformed JSON, a method the address does not take); unknown fields named; every bad
field at once."""

from __future__ import annotations

import pytest

from kefu.org.tests.factories import AgentFactory
from tests.helpers import error_of

TICKETS = "/api/v1/tickets"


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-hans", ("请求无效。", "此字段为必填项。")),
        ("en", ("The request is not valid.", "This field is required.")),
    ],
)
def test_schema_errors_speak_the_accept_language(api, department, header, expected):
    body = error_of(
        api.post_json(TICKETS, {"department_id": department.pk}, headers={"Accept-Language": header}), 422
    )
    assert (body["message"], body["fields"]["subject"]) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "此字段为必填项。"), ("en", "This field is required.")]
)
def test_without_accept_language_errors_speak_the_key_owners_language(
    api_client_for, department, language, expected
):
    client = api_client_for(AgentFactory(language=language, departments=[department]))
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE")
    assert (
        error_of(client.post_json(TICKETS, {"department_id": department.pk}), 422)["fields"]["subject"]
        == expected
    )


@pytest.mark.django_db
def test_malformed_json_is_a_json_400_in_the_clients_language(api):
    response = api.post(
        TICKETS, data="{subject: ", content_type="application/json", headers={"Accept-Language": "zh-hans"}
    )
    assert error_of(response, 400) == {
        "code": "bad_request",
        "message": "请求正文不是有效的 JSON。",
        "fields": {},
    }


@pytest.mark.django_db
def test_a_method_the_address_does_not_take_is_a_json_405(api, ticket):
    response = api.put(f"{TICKETS}/{ticket.pk}", data={"subject": "x"}, content_type="application/json")
    body = error_of(response, 405)
    assert body["code"] == "method_not_allowed"
    assert response["Allow"] == "DELETE, GET, PATCH"
    assert body["message"] == "This address does not accept this method. Use DELETE, GET, PATCH."


@pytest.mark.django_db
def test_unknown_fields_are_refused_and_named(api, ticket):
    response = api.patch_json(f"{TICKETS}/{ticket.pk}", {"sla": "gold", "priorty": "高"})
    body = error_of(response, 422)
    assert body["fields"] == {"sla": "Unknown field.", "priorty": "Unknown field."}
    assert ticket.events.count() == 1  # only its creation: nothing changed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "expected"), [("zh-hans", "此字段为必填项。"), ("en", "This field is required.")]
)
def test_an_empty_reply_body_is_a_clear_message(api, ticket, header, expected):
    response = api.post_json(
        f"{TICKETS}/{ticket.pk}/threads", {"body": ""}, headers={"Accept-Language": header}
    )
    assert error_of(response, 422)["fields"] == {"body": expected}


@pytest.mark.django_db
def test_every_bad_field_of_a_new_ticket_is_reported_at_once(api, department):
    response = api.post_json(
        TICKETS,
        {
            "subject": "打印机无法连接网络",
            "description": "重启后仍然不行。",
            "department_id": 999_999,
            "priority": "金牌",
            "contact": {"email": "not-an-address"},
        },
    )
    assert set(error_of(response, 422)["fields"]) == {"department_id", "priority", "contact.email"}
