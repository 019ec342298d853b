import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.tickets.services import ticket_follow, ticket_tag


@pytest.fixture
def ticket(create_ticket):
    return create_ticket(tags=["VIP"])


@pytest.mark.django_db
def test_tags_are_added_and_removed_by_name_whatever_the_case(ticket, agent):
    ticket_tag(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, add=["vip", "退款"], remove=["Vip"]
    )
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["退款"]
    actions = list(ticket.events.order_by("id").values_list("action", "old_value", "new_value"))[1:]
    # One row for the change-set: the sorted names before and after.
    assert actions == [("ticket.updated", ["VIP"], ["退款"])]


@pytest.mark.django_db
def test_tagging_with_nothing_new_records_nothing(ticket, agent):
    ticket_tag(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, add=["VIP"])
    assert ticket.events.count() == 1


@pytest.mark.django_db
def test_an_overlong_tag_is_refused(ticket, agent):
    with pytest.raises(ValidationFailed):
        ticket_tag(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, add=["x" * 65])


@pytest.mark.django_db
def test_following_is_idempotent_and_logged_once(ticket, agent):
    actor = Actor.agent(agent.user)
    ticket_follow(actor=actor, source=Source.WEB, ticket=ticket, user=agent.user)
    ticket_follow(actor=actor, source=Source.WEB, ticket=ticket, user=agent.user)
    assert list(ticket.followers.all()) == [agent.user]
    ticket_follow(actor=actor, source=Source.WEB, ticket=ticket, user=agent.user, follow=False)
    assert list(ticket.followers.all()) == []
    me = {"id": agent.user.pk, "name": agent.user.name}
    assert list(ticket.events.order_by("id").values_list("action", "field", "old_value", "new_value"))[
        1:
    ] == [
        ("ticket.followed", "followers", None, me),
        ("ticket.followed", "followers", me, None),
    ]


@pytest.mark.django_db
def test_only_agents_who_see_the_ticket_can_follow_it(ticket, agent, other_agent, light_agent):
    with pytest.raises(ValidationFailed):
        ticket_follow(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, user=other_agent.user)
    with pytest.raises(PermissionDenied):
        ticket_follow(actor=Actor.agent(light_agent.user), source=Source.WEB, ticket=ticket, user=agent.user)
    assert ticket.followers.count() == 0
