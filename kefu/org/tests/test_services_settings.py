"""Services behind the settings pages: departments, teams, agents, general settings."""

from __future__ import annotations

import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.org import services
from kefu.org.models import Agent, Department, HelpdeskSettings, Team
from kefu.org.services import api_key_authenticate
from kefu.org.tests.factories import AgentFactory, ApiKeyFactory, TeamFactory
from kefu.tickets.tests.factories import TicketFactory

WEB = Source.WEB


def as_(agent):
    return Actor.agent(agent.user)


@pytest.mark.django_db
def test_department_create_and_update_are_audited(admin_agent):
    department = services.department_create(
        actor=as_(admin_agent), source=WEB, name=" 技术支持 ", name_en="Support", code="Support"
    )
    assert (department.name, department.name_en, department.code) == ("技术支持", "Support", "support")
    services.department_update(
        actor=as_(admin_agent),
        source=WEB,
        department_id=department.pk,
        name="技术支持部",
        name_en="Support",
        is_active=False,
    )
    department.refresh_from_db()
    assert (department.name, department.is_active) == ("技术支持部", False)
    entries = AuditEntry.objects.filter(object_type="org.department", object_id=department.pk).order_by("id")
    assert list(entries.values_list("action", "changes")) == [
        ("department.created", {}),
        ("department.updated", {"name": ["技术支持", "技术支持部"], "is_active": [True, False]}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "code", "fields"),
    [
        ("", "x", {"name"}),
        ("部门", "", {"code"}),
        ("部门", "bad code!", {"code"}),
        ("部" * 101, "x", {"name"}),
    ],
)
def test_department_validation(admin_agent, name, code, fields):
    with pytest.raises(ValidationFailed) as raised:
        services.department_create(actor=as_(admin_agent), source=WEB, name=name, code=code)
    assert set(raised.value.fields) == fields
    assert not Department.objects.exists()


@pytest.mark.django_db
def test_department_code_is_unique(admin_agent, department):
    with pytest.raises(Conflict):
        services.department_create(actor=as_(admin_agent), source=WEB, name="x", code="after-sales")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "supervisor", "light_agent"])
def test_only_settings_managers_change_departments(department, role):
    actor = as_(AgentFactory(role_key=role, departments=[department]))
    with pytest.raises(PermissionDenied):
        services.department_create(actor=actor, source=WEB, name="x", code="x")
    with pytest.raises(PermissionDenied):
        services.department_update(actor=actor, source=WEB, department_id=department.pk, name="改名")
    assert list(Department.objects.values_list("name", flat=True)) == ["售后服务"]


@pytest.mark.django_db
def test_team_create_update_with_members_and_delete(
    admin_agent, agent, other_agent, department, other_department
):
    team = services.team_create(
        actor=as_(admin_agent),
        source=WEB,
        department_id=department.pk,
        name="一线",
        member_user_ids=[agent.user_id],
    )
    assert list(team.agents.values_list("user_id", flat=True)) == [agent.user_id]
    services.team_update(
        actor=as_(admin_agent),
        source=WEB,
        team_id=team.pk,
        department_id=other_department.pk,
        name="二线",
        member_user_ids=[other_agent.user_id],
    )
    team.refresh_from_db()
    assert (team.department_id, team.name) == (other_department.pk, "二线")
    assert list(team.agents.values_list("user_id", flat=True)) == [other_agent.user_id]
    updated = AuditEntry.objects.get(action="team.updated")
    assert updated.changes == {
        "department_id": [department.pk, other_department.pk],
        "name": ["一线", "二线"],
        "member_user_ids": [[agent.user_id], [other_agent.user_id]],
    }
    services.team_delete(actor=as_(admin_agent), source=WEB, team_id=team.pk)
    assert not Team.objects.exists()
    assert AuditEntry.objects.get(action="team.deleted").changes == {
        "department_id": other_department.pk,
        "name": "二线",
    }


@pytest.mark.django_db
def test_team_rules(admin_agent, department):
    TeamFactory(department=department, name="一线")
    with pytest.raises(Conflict):
        services.team_create(actor=as_(admin_agent), source=WEB, department_id=department.pk, name="一线")
    with pytest.raises(ValidationFailed) as raised:
        services.team_create(
            actor=as_(admin_agent), source=WEB, department_id=999, name="", member_user_ids=[12345]
        )
    assert set(raised.value.fields) == {"name", "department_id", "member_user_ids"}
    with pytest.raises(NotFound):
        services.team_delete(actor=as_(admin_agent), source=WEB, team_id=999)


@pytest.mark.django_db
def test_a_team_with_tickets_is_not_deleted(admin_agent, department):
    team = TeamFactory(department=department)
    TicketFactory(department=department, team=team)
    with pytest.raises(Conflict):
        services.team_delete(actor=as_(admin_agent), source=WEB, team_id=team.pk)
    assert Team.objects.filter(pk=team.pk).exists()


@pytest.mark.django_db
def test_agent_update_changes_role_and_memberships(admin_agent, agent, department, other_department):
    team = TeamFactory(department=other_department)
    services.agent_update(
        actor=as_(admin_agent),
        source=WEB,
        agent_id=agent.pk,
        name="张伟 (主管)",
        role_key="supervisor",
        department_ids=[other_department.pk],
        team_ids=[team.pk],
    )
    agent = Agent.objects.select_related("user", "role").get(pk=agent.pk)
    assert (agent.user.name, agent.role.key) == ("张伟 (主管)", "supervisor")
    assert list(agent.departments.values_list("id", flat=True)) == [other_department.pk]
    assert list(agent.teams.values_list("id", flat=True)) == [team.pk]
    assert AuditEntry.objects.get(action="agent.updated").changes == {
        "name": ["张伟", "张伟 (主管)"],
        "role": ["agent", "supervisor"],
        "department_ids": [[department.pk], [other_department.pk]],
        "team_ids": [[], [team.pk]],
    }


@pytest.mark.django_db
def test_a_supervisor_cannot_hand_out_or_take_away_the_administrator_role(department, agent, admin_agent):
    supervisor = AgentFactory(role_key="supervisor", departments=[department])
    with pytest.raises(PermissionDenied):
        services.agent_update(
            actor=as_(supervisor), source=WEB, agent_id=agent.pk, name="", role_key="administrator"
        )
    with pytest.raises(PermissionDenied):
        services.agent_set_active(actor=as_(supervisor), source=WEB, agent_id=admin_agent.pk, active=False)
    with pytest.raises(PermissionDenied):
        services.agent_create(
            actor=as_(supervisor), source=WEB, email="x@kefu.test", name="", role_key="administrator"
        )
    assert Agent.objects.get(pk=agent.pk).role.key == "agent"
    assert Agent.objects.get(pk=admin_agent.pk).user.is_active is True


@pytest.mark.django_db
def test_deactivation_blocks_api_keys_deletes_nothing_and_reactivation_restores(admin_agent, agent):
    _key, secret = ApiKeyFactory.create(agent.user)
    services.agent_set_active(actor=as_(admin_agent), source=WEB, agent_id=agent.pk, active=False)
    assert api_key_authenticate(secret) is None
    assert Agent.objects.filter(pk=agent.pk, user__is_active=False, user__api_keys__isnull=False).exists()
    services.agent_set_active(actor=as_(admin_agent), source=WEB, agent_id=agent.pk, active=True)
    assert api_key_authenticate(secret) == agent.user
    assert list(
        AuditEntry.objects.filter(object_id=agent.pk, object_type="org.agent")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["agent.deactivated", "agent.reactivated"]


@pytest.mark.django_db
def test_you_cannot_deactivate_yourself_or_the_last_administrator(admin_agent):
    with pytest.raises(Conflict, match="yourself"):
        services.agent_set_active(actor=as_(admin_agent), source=WEB, agent_id=admin_agent.pk, active=False)
    with pytest.raises(Conflict, match="last administrator"):
        services.agent_set_active(actor=Actor.system(), source=WEB, agent_id=admin_agent.pk, active=False)
    with pytest.raises(Conflict, match="last administrator"):
        services.agent_update(
            actor=as_(admin_agent), source=WEB, agent_id=admin_agent.pk, name="", role_key="agent"
        )
    second = AgentFactory(role_key="administrator")
    services.agent_set_active(actor=as_(second), source=WEB, agent_id=admin_agent.pk, active=False)
    assert Agent.objects.get(pk=admin_agent.pk).user.is_active is False
    assert not AuditEntry.objects.filter(action="agent.updated").exists()


@pytest.mark.django_db
def test_agent_update_validation(admin_agent, agent):
    with pytest.raises(ValidationFailed) as raised:
        services.agent_update(
            actor=as_(admin_agent),
            source=WEB,
            agent_id=agent.pk,
            name="",
            role_key="boss",
            department_ids=[999],
            team_ids=[999],
        )
    assert set(raised.value.fields) == {"role", "department_ids", "team_ids"}
    with pytest.raises(NotFound):
        services.agent_update(actor=as_(admin_agent), source=WEB, agent_id=999, name="", role_key="agent")


@pytest.mark.django_db
def test_resending_an_invitation_only_before_a_password_is_chosen(
    admin_agent, agent, django_capture_on_commit_callbacks
):
    with pytest.raises(Conflict):
        services.agent_invite_resend(
            actor=as_(admin_agent), source=WEB, agent_id=agent.pk, site_url="http://x/"
        )
    invited = services.agent_create(actor=as_(admin_agent), source=WEB, email="new@kefu.test", name="")
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        services.agent_invite_resend(
            actor=as_(admin_agent), source=WEB, agent_id=invited.pk, site_url="http://x/"
        )
    assert [m.to for m in mail.outbox] == [["new@kefu.test"]]
    assert mail.outbox[0].body.count("http://x/set-password/") == 1


@pytest.mark.django_db
def test_helpdesk_settings_update(admin_agent, agent):
    services.helpdesk_settings_update(
        actor=as_(admin_agent),
        source=WEB,
        ticket_number_prefix=" KF- ",
        time_zone="UTC",
        default_language="en",
    )
    row = HelpdeskSettings.load()
    assert (row.ticket_number_prefix, row.time_zone, row.default_language) == ("KF-", "UTC", "en")
    assert AuditEntry.objects.get(action="helpdesk_settings.updated").changes == {
        "ticket_number_prefix": ["#", "KF-"],
        "time_zone": ["Asia/Shanghai", "UTC"],
        "default_language": ["zh-hans", "en"],
    }
    with pytest.raises(ValidationFailed) as raised:
        services.helpdesk_settings_update(
            actor=as_(admin_agent),
            source=WEB,
            ticket_number_prefix="x" * 17,
            time_zone="Nowhere",
            default_language="fr",
        )
    assert set(raised.value.fields) == {"ticket_number_prefix", "time_zone", "default_language"}
    with pytest.raises(PermissionDenied):
        services.helpdesk_settings_update(
            actor=as_(agent), source=WEB, ticket_number_prefix="#", time_zone="UTC", default_language="en"
        )
    assert HelpdeskSettings.load().ticket_number_prefix == "KF-"


@pytest.mark.django_db
def test_a_department_keeps_its_reopen_window_unless_told_otherwise(admin_agent):
    department = services.department_create(
        actor=as_(admin_agent), source=WEB, name="技术支持", code="support", reopen_within_days=3
    )
    assert department.reopen_within_days == 3
    services.department_update(actor=as_(admin_agent), source=WEB, department_id=department.pk, name="支持")
    assert Department.objects.get(pk=department.pk).reopen_within_days == 3
    services.department_update(
        actor=as_(admin_agent), source=WEB, department_id=department.pk, name="支持", reopen_within_days=0
    )
    assert Department.objects.get(pk=department.pk).reopen_within_days == 0
    assert (
        services.department_create(
            actor=as_(admin_agent), source=WEB, name="财务", code="billing"
        ).reopen_within_days
        == 14
    )


@pytest.mark.django_db
@pytest.mark.parametrize("days", [-1, 3651, True, "7"])
def test_a_reopen_window_out_of_range_is_refused(admin_agent, department, days):
    with pytest.raises(ValidationFailed) as refused:
        services.department_update(
            actor=as_(admin_agent),
            source=WEB,
            department_id=department.pk,
            name="售后",
            reopen_within_days=days,
        )
    assert refused.value.fields == {"reopen_within_days": "Enter a number of days between 0 and 3650."}
    assert Department.objects.get(pk=department.pk).name == department.name
