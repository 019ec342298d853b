"""``/api/v1/assignment-rules``: the contract's payload, 422 naming the bad part, who may write, share-out."""

from __future__ import annotations

import pytest

from kefu.automation.models import AssignmentRule
from kefu.automation.tests.routing_factories import AssignmentRuleFactory, SkillFactory
from kefu.core.models import AuditEntry
from kefu.org.tests.factories import AgentFactory, TeamFactory
from tests.helpers import error_of

pytestmark = pytest.mark.django_db
API = "/api/v1/assignment-rules"


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


@pytest.fixture
def pair(department, agent):
    return [
        agent,
        AgentFactory(user__name="王芳", user__email="wang.fang@kefu.test", departments=[department]),
    ]


def _payload(department, pair, **overrides):
    body = {
        "name": "售后轮流",
        "department_id": department.pk,
        "criteria": {"all": [{"field": "subject", "op": "contains", "value": "发热"}]},
        "type": "round_robin",
        "agent_ids": [pair[1].user_id, pair[0].user_id],
        "cap": 5,
        "skip_unavailable": True,
        "fallback": {"type": "agent", "agent_id": pair[0].user_id},
    }
    body.update(overrides)
    return body


def test_an_administrator_creates_a_rule_and_reads_back_the_contract(admin_api, department, pair):
    response = admin_api.post_json(API, _payload(department, pair))

    assert response.status_code == 201, response.content
    rule = AssignmentRule.objects.get()
    assert response.json() == {
        "id": rule.pk,
        "name": "售后轮流",
        "department_id": department.pk,
        "enabled": True,
        "order": 0,
        "criteria": {"all": [{"field": "subject", "op": "contains", "value": "发热"}]},
        "type": "round_robin",
        "agent_ids": [pair[1].user_id, pair[0].user_id],
        "team_id": None,
        "skill_ids": [],
        "skip_unavailable": True,
        "cap": 5,
        "fallback": {"type": "agent", "team_id": None, "agent_id": pair[0].user_id},
        "last_agent_id": None,
        "turns": 0,
    }
    assert AuditEntry.objects.filter(action="assignment_rule.created", object_id=rule.pk).count() == 1
    assert admin_api.get(f"{API}/{rule.pk}").json() == response.json()
    assert admin_api.get(API, {"department_id": department.pk}).json() == [response.json()]


def test_a_second_rule_goes_last_and_reorder_moves_it(admin_api, department, pair):
    first = admin_api.post_json(API, _payload(department, pair)).json()
    second = admin_api.post_json(API, _payload(department, pair, name="第二条")).json()
    assert (first["order"], second["order"]) == (0, 1)

    response = admin_api.post_json(
        f"{API}/reorder", {"department_id": department.pk, "rule_ids": [second["id"], first["id"]]}
    )

    assert response.status_code == 200
    assert [(rule["id"], rule["order"]) for rule in response.json()] == [(second["id"], 0), (first["id"], 1)]
    bad = admin_api.post_json(f"{API}/reorder", {"department_id": department.pk, "rule_ids": [first["id"]]})
    assert error_of(bad, 422)["fields"] == {"rule_ids": "List every rule of the department exactly once."}


def test_put_replaces_the_definition_and_keeps_the_turn(admin_api, department, pair):
    rule = AssignmentRuleFactory(department=department, agents=pair)
    rule.pointer.last_user_id = pair[0].user_id
    rule.pointer.save()
    team = TeamFactory(department=department, name="换货组")

    response = admin_api.put(
        f"{API}/{rule.pk}",
        data=_payload(
            department, pair, type="direct", agent_ids=[], team_id=team.pk, fallback={"type": "unassigned"}
        ),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["type"], body["agent_ids"], body["team_id"], body["last_agent_id"]) == (
        "direct",
        [],
        team.pk,
        pair[0].user_id,
    )


def test_delete(admin_api, department, pair):
    rule = AssignmentRuleFactory(department=department)

    assert admin_api.delete(f"{API}/{rule.pk}").status_code == 204
    assert not AssignmentRule.objects.exists()
    assert error_of(admin_api.delete(f"{API}/{rule.pk}"), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        (
            {
                "criteria": {
                    "all": [
                        {"field": "subject", "op": "contains", "value": "a"},
                        {"field": "nope", "op": "is"},
                    ]
                }
            },
            {"criteria.all[1].field"},
        ),
        ({"type": "sideways"}, {"type"}),
        ({"agent_ids": [999_999]}, {"agent_ids[0]"}),
        ({"cap": 0}, {"cap"}),
        ({"fallback": {"type": "team"}}, {"fallback.team_id"}),
        ({"fallback": {"type": "agent", "agent_id": 999_999}}, {"fallback.agent_id"}),
        ({"type": "direct"}, {"agent_ids"}),
        ({"type": "skills"}, {"skill_ids"}),
        ({"name": "  ", "department_id": 999_999}, {"name", "department_id"}),
        ({"criteria": ["subject"]}, {"criteria"}),
    ],
)
def test_a_bad_definition_is_a_422_naming_the_bad_part(admin_api, department, pair, overrides, fields):
    response = admin_api.post_json(API, _payload(department, pair, **overrides))

    error = error_of(response, 422)
    assert fields <= set(error["fields"]), error
    assert not AssignmentRule.objects.exists()


def test_an_agent_of_another_department_is_refused_by_position(admin_api, department, pair, other_agent):
    response = admin_api.post_json(
        API, _payload(department, pair, agent_ids=[pair[0].user_id, other_agent.user_id])
    )

    assert error_of(response, 422)["fields"] == {
        "agent_ids[1]": f"Agent {other_agent.user_id} does not work in the rule's department."
    }


def test_skills_rules_name_their_skills(admin_api, department, pair):
    skill = SkillFactory(name="手机维修")

    response = admin_api.post_json(API, _payload(department, pair, type="skills", skill_ids=[skill.pk]))

    assert response.status_code == 201
    assert response.json()["skill_ids"] == [skill.pk]
    bad = admin_api.post_json(API, _payload(department, pair, type="skills", skill_ids=[skill.pk, 999_999]))
    assert error_of(bad, 422)["fields"] == {"skill_ids[1]": "Unknown skill 999999."}


def test_agents_read_rules_but_only_administrators_write_them(api, api_client_for, department, pair):
    rule = AssignmentRuleFactory(department=department)

    assert api.get(API).status_code == 200
    assert error_of(api.post_json(API, _payload(department, pair)), 403)["code"] == "permission_denied"
    assert error_of(api.delete(f"{API}/{rule.pk}"), 403)["code"] == "permission_denied"
    assert error_of(api_client_for(None).get(API), 401)["code"] == "unauthenticated"
    assert AssignmentRule.objects.count() == 1


def test_share_out_hands_an_agents_open_tickets_to_the_others(
    admin_api, api, create_ticket, department, pair
):
    gone, other = pair
    third = AgentFactory(user__name="李娜", departments=[department])
    tickets = [create_ticket(assignee_id=gone.user_id) for _ in range(3)]
    AssignmentRuleFactory(department=department, agents=[gone, other, third])

    response = admin_api.post_json(f"/api/v1/agents/{gone.user_id}/share-out")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "reassigned": {str(other.user_id): 2, str(third.user_id): 1},
        "to_teams": 0,
        "flagged": 0,
        "kept": 0,
    }
    assert [t.__class__.objects.get(pk=t.pk).assignee_id for t in tickets] == [
        other.user_id,
        third.user_id,
        other.user_id,
    ]
    assert (
        error_of(api.post_json(f"/api/v1/agents/{gone.user_id}/share-out"), 403)["code"]
        == "permission_denied"
    )
