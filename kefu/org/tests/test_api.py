"""The organisation REST API: departments, teams and agents, and who may add agents."""

from __future__ import annotations

import json

import pytest

from kefu.core.models import AuditEntry
from kefu.org.models import Agent, Department, User
from kefu.org.tests.factories import AgentFactory, ApiKeyFactory, DepartmentFactory, TeamFactory, UserFactory
from tests.helpers import error_of

API = "/api/v1"
BIG = 2**63


def user_client(api_client_for, user):
    _key, secret = ApiKeyFactory.create(user)
    return type(api_client_for(None))(secret)


def agent_json(agent: Agent) -> dict:
    agent = Agent.objects.select_related("user", "role").get(pk=agent.pk)
    return {
        "id": agent.user_id,
        "email": agent.user.email,
        "name": agent.user.name,
        "role": agent.role.key,
        "department_ids": sorted(agent.departments.values_list("id", flat=True)),
        "team_ids": sorted(agent.teams.values_list("id", flat=True)),
        "language": agent.language,
        "time_zone": agent.time_zone,
        "availability": agent.availability,
        "is_active": agent.user.is_active,
    }


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def state():
    return (
        list(User.objects.order_by("id").values_list("id", "email")),
        list(Agent.objects.order_by("id").values_list("id", "role__key")),
    )


ENDPOINTS = [
    ("get", "/departments"),
    ("get", "/teams"),
    ("get", "/agents"),
    ("get", "/agents/me"),
    ("post", "/agents"),
]


def send(client, method, path, payload=None):
    if method == "get":
        return client.get(API + path)
    return client.post_json(API + path, payload if payload is not None else {"email": "new.agent@kefu.test"})


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_is_401_without_a_key(api_client_for, method, path):
    before = state()
    error = error_of(send(api_client_for(None), method, path), 401)
    assert (error["code"], error["fields"]) == ("unauthenticated", {})
    assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_user_without_an_agent_profile_is_403(api_client_for, method, path):
    client = user_client(api_client_for, UserFactory())
    before = state()
    assert error_of(send(client, method, path), 403)["code"] == "permission_denied"
    assert state() == before


@pytest.mark.django_db
def test_departments(api, department, other_department):
    inactive = DepartmentFactory(
        code="old", name="旧部门", name_en="Old", is_active=False, description="停用"
    )
    response = api.get(f"{API}/departments")
    assert response.status_code == 200
    assert response.json() == [
        {"id": department.pk, "name": "售后服务", "name_en": "After-sales", "code": "after-sales",
         "description": "", "is_active": True, "reopen_within_days": 14,
         "close_parent_with_last_child": True},
        {"id": other_department.pk, "name": "财务", "name_en": "Billing", "code": "billing",
         "description": "", "is_active": True, "reopen_within_days": 14,
         "close_parent_with_last_child": True},
        {"id": inactive.pk, "name": "旧部门", "name_en": "Old", "code": "old",
         "description": "停用", "is_active": False, "reopen_within_days": 14,
         "close_parent_with_last_child": True},
    ]  # fmt: skip


@pytest.mark.django_db
def test_teams(api, department, other_department):
    first = TeamFactory(department=department, name="一线", description="电话")
    second = TeamFactory(department=other_department, name="发票")
    response = api.get(f"{API}/teams")
    assert response.status_code == 200
    assert response.json() == [
        {"id": first.pk, "department_id": department.pk, "name": "一线", "description": "电话"},
        {"id": second.pk, "department_id": other_department.pk, "name": "发票", "description": ""},
    ]


@pytest.mark.django_db
def test_agents_and_me(api, agent, other_agent, light_agent, department):
    team = TeamFactory(department=department)
    agent.teams.add(team)
    response = api.get(f"{API}/agents")
    assert response.status_code == 200
    assert response.json() == [
        agent_json(a) for a in sorted([agent, other_agent, light_agent], key=lambda a: a.user_id)
    ]
    me = api.get(f"{API}/agents/me")
    assert me.status_code == 200
    assert me.json() == {
        "id": agent.user_id,
        "email": "zhang.wei@kefu.test",
        "name": "张伟",
        "role": "agent",
        "department_ids": [department.pk],
        "team_ids": [team.pk],
        "language": "zh-hans",
        "time_zone": "Asia/Shanghai",
        "availability": "offline",
        "is_active": True,
    }


@pytest.mark.django_db
def test_a_light_agent_reads_the_organisation(api_client_for, light_agent, department):
    client = api_client_for(light_agent)
    assert client.get(f"{API}/departments").status_code == 200
    assert client.get(f"{API}/agents/me").json()["role"] == "light_agent"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "light_agent"])
def test_adding_an_agent_needs_the_agent_manage_right(api_client_for, department, role):
    client = api_client_for(AgentFactory(role_key=role, departments=[department]))
    before = state()
    error = error_of(
        client.post_json(f"{API}/agents", {"email": "li.na@kefu.test", "department_ids": [department.pk]}),
        403,
    )
    assert error["code"] == "permission_denied"
    assert state() == before


@pytest.mark.django_db
def test_an_administrator_adds_an_agent(admin_api, admin_agent, department):
    team = TeamFactory(department=department)
    response = admin_api.post_json(
        f"{API}/agents",
        {
            "email": " Li.Na@Kefu.Test ",
            "name": " 李娜 ",
            "department_ids": [department.pk, department.pk],
            "team_ids": [team.pk],
            "role": "supervisor",
            "language": "en",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 201, response.content
    agent = Agent.objects.get(user__email="li.na@kefu.test")
    assert response.json() == agent_json(agent)
    assert response.json() == {
        "id": agent.user_id,
        "email": "li.na@kefu.test",
        "name": "李娜",
        "role": "supervisor",
        "department_ids": [department.pk],
        "team_ids": [team.pk],
        "language": "en",
        "time_zone": "Europe/Berlin",
        "availability": "offline",
        "is_active": True,
    }
    assert not agent.user.has_usable_password()
    entry = AuditEntry.objects.get(action="agent.created")
    assert (entry.actor_id, entry.source, entry.object_id) == (admin_agent.user_id, "api", agent.pk)


@pytest.mark.django_db
def test_adding_an_agent_with_defaults(admin_api):
    response = admin_api.post_json(f"{API}/agents", {"email": "wu.di@kefu.test"})
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["role"], body["department_ids"], body["team_ids"]) == ("", "agent", [], [])
    assert (body["language"], body["time_zone"]) == ("zh-hans", "Asia/Shanghai")


@pytest.mark.django_db
def test_a_supervisor_adds_agents_too(api_client_for, department):
    supervisor = AgentFactory(role_key="supervisor", departments=[department])
    response = api_client_for(supervisor).post_json(f"{API}/agents", {"email": "x@kefu.test"})
    assert response.status_code == 201


@pytest.mark.django_db
def test_the_new_agent_can_use_the_api(admin_api, api_client_for, department):
    body = admin_api.post_json(
        f"{API}/agents", {"email": "new@kefu.test", "department_ids": [department.pk]}
    ).json()
    new = Agent.objects.get(user_id=body["id"])
    assert api_client_for(new).get(f"{API}/agents/me").json() == body


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["zhang.wei@kefu.test", "ZHANG.WEI@kefu.test"])
def test_a_duplicate_email_is_409(admin_api, agent, email):
    before = state()
    error = error_of(admin_api.post_json(f"{API}/agents", {"email": email}), 409)
    assert (error["code"], set(error["fields"])) == ("conflict", {"email"})
    assert state() == before


@pytest.mark.django_db
def test_the_idempotency_key_answers_the_same_agent(admin_api):
    first = admin_api.post_json(f"{API}/agents", {"email": "a@kefu.test"}, headers={"Idempotency-Key": "1"})
    second = admin_api.post_json(f"{API}/agents", {"email": "a@kefu.test"}, headers={"Idempotency-Key": "1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Agent.objects.filter(user__email="a@kefu.test").count() == 1


BAD_AGENTS = [
    ({"department_ids": [987654]}, "department_ids"),
    ({"department_ids": [BIG]}, "department_ids.0"),
    ({"department_ids": "1"}, "department_ids"),
    ({"team_ids": [987654]}, "team_ids"),
    ({"role": "owner"}, "role"),
    ({"role": ""}, "role"),
    ({"language": "fr"}, "language"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"email": "not-an-address"}, "email"),
    ({"email": "ab"}, "email"),
    ({"email": None}, "email"),
    ({"email": "a\x00@kefu.test"}, "email"),
    ({"name": "x" * 151}, "name"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"), BAD_AGENTS, ids=[f"{f}-{i}" for i, (_c, f) in enumerate(BAD_AGENTS)]
)
def test_bad_agent_input_is_422_naming_the_field(admin_api, change, field):
    before = state()
    error = error_of(admin_api.post_json(f"{API}/agents", {"email": "li.na@kefu.test", **change}), 422)
    assert error["code"] == "validation_failed"
    assert field in error["fields"], error
    assert state() == before


@pytest.mark.django_db
def test_a_missing_email_is_422(admin_api):
    assert set(error_of(admin_api.post_json(f"{API}/agents", {"name": "李娜"}), 422)["fields"]) == {"email"}


@pytest.mark.django_db
def test_malformed_json_is_400(admin_api):
    response = admin_api.post(f"{API}/agents", data="{", content_type="application/json")
    assert error_of(response, 400)["code"] == "bad_request"


@pytest.mark.django_db
def test_an_inactive_department_still_lists_but_an_unknown_one_is_refused(admin_api):
    department = DepartmentFactory(is_active=False)
    response = admin_api.post_json(
        f"{API}/agents", {"email": "x@kefu.test", "department_ids": [department.pk]}
    )
    assert response.status_code == 201
    assert response.json()["department_ids"] == [department.pk]
    assert Department.objects.count() == 1


@pytest.mark.django_db
def test_a_deactivated_users_key_is_401(api_client_for, agent):
    client = api_client_for(agent)
    agent.user.is_active = False
    agent.user.save()
    assert error_of(client.get(f"{API}/agents/me"), 401)["code"] == "unauthenticated"


@pytest.mark.django_db
def test_the_openapi_document_is_public_and_describes_every_router(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    assert {
        "/api/v1/tickets",
        "/api/v1/contacts",
        "/api/v1/accounts",
        "/api/v1/agents",
        "/api/v1/departments",
    } <= set(paths)
