import datetime as dt

import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.org.tests.factories import AgentFactory, TeamFactory
from kefu.tickets.models import Status, Ticket
from kefu.tickets.services import ticket_assign, ticket_delete, ticket_set_status, ticket_update


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


def _events(ticket):
    return list(ticket.events.order_by("id").values_list("action", "field", "old_value", "new_value"))[1:]


@pytest.mark.django_db
def test_each_changed_field_becomes_one_event_with_names_remembered(ticket, agent):
    ticket_update(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=ticket,
        changes={"priority": "High", "subject": "打印机离线", "category": "故障"},
    )
    ticket.refresh_from_db()
    assert (ticket.priority.name, ticket.subject, ticket.category) == ("高", "打印机离线", "故障")
    assert sorted(_events(ticket)) == sorted(
        [
            ("ticket.updated", "priority", {"id": 3, "name": "中"}, {"id": 2, "name": "高"}),
            ("ticket.updated", "subject", "打印机无法连接网络", "打印机离线"),
            ("ticket.updated", "category", "", "故障"),
        ]
    )
    # One change-set: the rows share its id.
    assert ticket.events.exclude(action="ticket.created").values("change_set").distinct().count() == 1


@pytest.mark.django_db
def test_an_update_that_changes_nothing_records_nothing(ticket, agent):
    before = ticket.updated_at
    ticket_update(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"priority": "中"})
    ticket.refresh_from_db()
    assert _events(ticket) == []
    assert ticket.updated_at == before


@pytest.mark.django_db
def test_closing_sets_closed_at_and_reopening_clears_it(ticket, agent):
    ticket_set_status(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, status="已关闭")
    ticket.refresh_from_db()
    assert ticket.closed_at is not None
    assert ticket.status.status_type == "closed"

    ticket_set_status(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, status="In progress")
    ticket.refresh_from_db()
    assert ticket.closed_at is None
    ids = dict(Status.objects.values_list("name", "pk"))
    new = {"id": ids["新建"], "name": "新建", "type": "open"}
    closed = {"id": ids["已关闭"], "name": "已关闭", "type": "closed"}
    in_progress = {"id": ids["处理中"], "name": "处理中", "type": "open"}
    # A status is remembered with its type at that moment.
    assert _events(ticket) == [
        ("ticket.updated", "status", new, closed),
        ("ticket.updated", "status", closed, in_progress),
    ]


@pytest.mark.django_db
def test_assignment_checks_the_department_and_logs_an_assigned_event(ticket, agent, other_agent):
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_assign(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, assignee_id=other_agent.user.pk
        )
    assert set(excinfo.value.fields) == {"assignee_id"}

    ticket_assign(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, assignee_id=agent.user.pk)
    ticket.refresh_from_db()
    assert ticket.assignee == agent.user
    assert _events(ticket) == [("ticket.updated", "assignee", None, {"id": agent.user.pk, "name": "张伟"})]


@pytest.mark.django_db
def test_moving_to_another_department_drops_a_team_and_assignee_who_do_not_belong(
    ticket, agent, other_department
):
    team = TeamFactory(department=ticket.department)
    ticket_update(
        actor=Actor.system(),
        source=Source.AUTOMATION,
        ticket=ticket,
        changes={"team_id": team.pk, "assignee_id": agent.user.pk},
    )
    ticket_update(
        actor=Actor.system(),
        source=Source.AUTOMATION,
        ticket=ticket,
        changes={"department_id": other_department.pk},
    )
    ticket.refresh_from_db()
    assert (ticket.department, ticket.team, ticket.assignee) == (other_department, None, None)


@pytest.mark.django_db
def test_a_team_of_another_department_is_refused(ticket, other_department):
    team = TeamFactory(department=other_department)
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_update(actor=Actor.system(), source=Source.API, ticket=ticket, changes={"team_id": team.pk})
    assert excinfo.value.fields == {"team_id": "The team belongs to another department."}


@pytest.mark.django_db
def test_an_agent_of_another_department_gets_not_found_and_nothing_changes(ticket, other_agent):
    with pytest.raises(NotFound):
        ticket_update(
            actor=Actor.agent(other_agent.user), source=Source.API, ticket=ticket, changes={"subject": "x"}
        )
    ticket.refresh_from_db()
    assert ticket.subject == "打印机无法连接网络"
    assert _events(ticket) == []


@pytest.mark.django_db
def test_a_light_agent_cannot_change_fields(ticket, light_agent):
    with pytest.raises(PermissionDenied):
        ticket_update(
            actor=Actor.agent(light_agent.user), source=Source.WEB, ticket=ticket, changes={"priority": "高"}
        )
    ticket.refresh_from_db()
    assert ticket.priority.name == "中"


@pytest.mark.django_db
def test_unknown_fields_and_empty_changes_are_refused(ticket):
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_update(actor=Actor.system(), source=Source.API, ticket=ticket, changes={"number": 9})
    assert excinfo.value.fields == {"number": "Unknown field."}
    with pytest.raises(ValidationFailed):
        ticket_update(actor=Actor.system(), source=Source.API, ticket=ticket, changes={})


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["first_response_due_at", "resolution_due_at"])
@pytest.mark.parametrize(
    "value", [None, dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)], ids=["none", "moment"]
)
def test_sla_due_times_are_read_only(ticket, field, value):
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_update(actor=Actor.system(), source=Source.API, ticket=ticket, changes={field: value})
    assert excinfo.value.fields == {field: "Read-only: the SLA policy computes this time."}
    ticket.refresh_from_db()
    assert getattr(ticket, field) is None


@pytest.mark.django_db
def test_a_ticket_cannot_be_its_own_parent(ticket, create_ticket):
    with pytest.raises(ValidationFailed):
        ticket_update(
            actor=Actor.system(), source=Source.API, ticket=ticket, changes={"parent_id": ticket.pk}
        )
    parent = create_ticket()
    ticket_update(actor=Actor.system(), source=Source.API, ticket=ticket, changes={"parent_id": parent.pk})
    ticket.refresh_from_db()
    assert ticket.parent == parent


@pytest.mark.django_db
def test_deleting_needs_the_right_and_moves_the_ticket_to_the_trash(ticket, agent, department):
    with pytest.raises(PermissionDenied):
        ticket_delete(actor=Actor.agent(agent.user), source=Source.API, ticket=ticket)
    supervisor = AgentFactory(role_key="supervisor", departments=[department])
    ticket_delete(actor=Actor.agent(supervisor.user), source=Source.API, ticket=ticket)
    assert Ticket.objects.get(pk=ticket.pk).deleted_at is not None
    with pytest.raises(NotFound):
        ticket_update(
            actor=Actor.agent(supervisor.user), source=Source.API, ticket=ticket, changes={"subject": "x"}
        )
