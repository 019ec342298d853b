import pytest

from kefu.org.tests.factories import AgentFactory, UserFactory
from kefu.tickets.selectors import ticket_get, visible_tickets
from kefu.tickets.tests.factories import TicketFactory


@pytest.mark.django_db
def test_agents_see_their_departments_administrators_see_all(
    agent, other_agent, admin_agent, department, other_department
):
    mine = TicketFactory(department=department)
    theirs = TicketFactory(department=other_department)

    assert list(visible_tickets(agent.user)) == [mine]
    assert list(visible_tickets(other_agent.user)) == [theirs]
    assert set(visible_tickets(admin_agent.user)) == {mine, theirs}
    assert ticket_get(agent.user, theirs.pk) is None


@pytest.mark.django_db
def test_people_who_are_not_agents_see_nothing(department):
    TicketFactory(department=department)
    plain_user = UserFactory()
    inactive = AgentFactory(departments=[department], user__is_active=False)
    assert list(visible_tickets(plain_user)) == []
    assert list(visible_tickets(inactive.user)) == []
    assert list(visible_tickets(None)) == []


@pytest.mark.django_db
def test_trashed_tickets_are_invisible(agent, department):
    from django.utils import timezone

    TicketFactory(department=department, deleted_at=timezone.now())
    assert list(visible_tickets(agent.user)) == []


@pytest.mark.django_db
def test_a_light_agent_reads_his_departments_tickets(light_agent, department):
    ticket = TicketFactory(department=department)
    assert list(visible_tickets(light_agent.user)) == [ticket]
