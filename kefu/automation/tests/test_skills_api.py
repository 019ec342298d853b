"""``/api/v1/skills`` and ``/api/v1/agents/{id}/skills``: CRUD, who carries a skill, who may change it."""

from __future__ import annotations

import pytest

from kefu.automation.models import Skill
from kefu.automation.tests.routing_factories import SkillFactory
from tests.helpers import error_of

pytestmark = pytest.mark.django_db
API = "/api/v1/skills"


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def test_create_read_update_delete(admin_api, agent):
    created = admin_api.post_json(
        API,
        {
            "name": "手机维修",
            "name_en": "Phone repair",
            "description": "换屏、换电池",
            "agent_ids": [agent.user_id],
        },
    )

    assert created.status_code == 201, created.content
    skill = Skill.objects.get()
    assert created.json() == {
        "id": skill.pk,
        "name": "手机维修",
        "name_en": "Phone repair",
        "description": "换屏、换电池",
        "agent_ids": [agent.user_id],
    }
    assert admin_api.get(API).json() == [created.json()]
    changed = admin_api.put(f"{API}/{skill.pk}", data={"name": "维修"}, content_type="application/json")
    assert changed.json()["name"] == "维修"
    assert changed.json()["agent_ids"] == [agent.user_id]  # not given: who carries it stays
    assert admin_api.delete(f"{API}/{skill.pk}").status_code == 204
    assert error_of(admin_api.get(f"{API}/{skill.pk}"), 404)["code"] == "not_found"


def test_bad_input_names_the_field(admin_api):
    SkillFactory(name="英语")

    assert error_of(admin_api.post_json(API, {"name": " "}), 422)["fields"] == {
        "name": "This field is required."
    }
    assert error_of(admin_api.post_json(API, {"name": "x", "agent_ids": [999_999]}), 422)["fields"] == {
        "agent_ids[0]": "Unknown agent 999999."
    }
    assert error_of(admin_api.post_json(API, {"name": "英语"}), 409)["fields"] == {"name": "Already in use."}
    assert set(error_of(admin_api.post_json(API, {}), 422)["fields"]) == {"name"}


def test_an_agents_skills_are_set_by_whoever_manages_agents(admin_api, api, agent):
    repair, english = SkillFactory(name="手机维修"), SkillFactory(name="英语")

    response = admin_api.put(
        f"/api/v1/agents/{agent.user_id}/skills",
        data={"skill_ids": [english.pk, repair.pk]},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert [skill["name"] for skill in response.json()] == ["手机维修", "英语"]
    assert set(agent.skills.all()) == {repair, english}
    bad = admin_api.put(
        f"/api/v1/agents/{agent.user_id}/skills",
        data={"skill_ids": [999_999]},
        content_type="application/json",
    )
    assert error_of(bad, 422)["fields"] == {"skill_ids[0]": "Unknown skill 999999."}
    refused = api.put(
        f"/api/v1/agents/{agent.user_id}/skills", data={"skill_ids": []}, content_type="application/json"
    )
    assert error_of(refused, 403)["code"] == "permission_denied"
    assert set(agent.skills.all()) == {repair, english}


def test_agents_read_skills_but_do_not_write_them(api):
    assert api.get(API).status_code == 200
    assert error_of(api.post_json(API, {"name": "x"}), 403)["code"] == "permission_denied"
    assert not Skill.objects.exists()
