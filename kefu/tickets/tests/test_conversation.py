import io

import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import PayloadTooLarge, PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.inputs import CommentInput, MessageInput, ReplyInput
from kefu.tickets.models import Comment, Thread
from kefu.tickets.services import attachment_add, ticket_comment, ticket_receive, ticket_reply


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


@pytest.mark.django_db
def test_a_reply_goes_to_the_contact_sets_first_response_and_publishes(
    ticket, agent, django_capture_on_commit_callbacks, published
):
    with django_capture_on_commit_callbacks() as callbacks:
        thread = ticket_reply(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=ReplyInput(body="您好，\n\n请重启路由器。", cc=["Boss@Example.cn"]),
        )
    ticket.refresh_from_db()
    assert (thread.direction, thread.to, thread.cc) == ("out", ["wang.fang@example.cn"], ["boss@example.cn"])
    assert thread.body_html == "<p>您好，</p><p>请重启路由器。</p>"
    assert thread.body_text == "您好，\n\n请重启路由器。"
    assert ticket.first_responded_at == thread.created_at
    assert ticket.updated_at == thread.created_at
    # By email, since the requester has an address.
    assert (thread.channel, thread.delivery_status) == ("email", "")
    events = list(ticket.events.filter(action="ticket.replied").order_by("id"))
    assert [(e.field, e.old_value, e.new_value) for e in events] == [
        ("threads", None, {"id": thread.pk}),
        ("first_responded_at", None, ticket.first_responded_at.isoformat()),
    ]
    assert events[0].change_set == events[1].change_set
    [payload] = published(EventType.TICKET_REPLIED)
    assert (payload["change_set"], payload["thread_id"]) == (events[0].change_set, thread.pk)
    assert [change["field"] for change in payload["changes"]] == ["threads", "first_responded_at"]
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_second_reply_keeps_the_first_response_time(ticket, agent):
    first = ticket_reply(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="一")
    )
    ticket_reply(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="二"))
    ticket.refresh_from_db()
    assert ticket.first_responded_at == first.created_at


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["", "   ", "<p> </p>", "<script>alert(1)</script>"])
def test_an_empty_reply_is_refused(ticket, agent, body):
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body=body)
        )
    assert set(excinfo.value.fields) == {"body"}
    assert list(Thread.objects.values_list("direction", flat=True)) == ["in"]


@pytest.mark.django_db
def test_bad_recipients_are_named(ticket, agent):
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_reply(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=ReplyInput(body="hi", to=["not-an-address"], cc=["x@y.cn"] * 51),
        )
    assert set(excinfo.value.fields) == {"to", "cc"}


@pytest.mark.django_db
def test_a_light_agent_comments_internally_but_cannot_reply_or_comment_publicly(ticket, light_agent):
    actor = Actor.agent(light_agent.user)
    comment = ticket_comment(
        actor=actor, source=Source.WEB, ticket=ticket, data=CommentInput(body="客户是 VIP")
    )
    assert comment.is_public is False
    with pytest.raises(PermissionDenied):
        ticket_reply(actor=actor, source=Source.WEB, ticket=ticket, data=ReplyInput(body="hi"))
    with pytest.raises(PermissionDenied):
        ticket_comment(
            actor=actor, source=Source.WEB, ticket=ticket, data=CommentInput(body="hi", is_public=True)
        )
    assert Comment.objects.count() == 1
    assert not Thread.objects.filter(direction=Thread.Direction.OUTBOUND).exists()


@pytest.mark.django_db
def test_mentions_must_be_agents_who_can_see_the_ticket(ticket, agent, other_agent, department):
    colleague = AgentFactory(departments=[department])
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_comment(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=CommentInput(body="@杨磊 看一下", mention_ids=[other_agent.user.pk]),
        )
    assert set(excinfo.value.fields) == {"mention_ids"}
    comment = ticket_comment(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=ticket,
        data=CommentInput(body="请跟进", mention_ids=[colleague.user.pk]),
    )
    assert list(comment.mentions.all()) == [colleague.user]


@pytest.mark.django_db
@pytest.mark.parametrize("mention_id", [2**63, -1, 0])
def test_a_mention_id_no_row_can_have_is_an_unknown_agent(ticket, agent, mention_id):
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_comment(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=CommentInput(body="看一下", mention_ids=[mention_id]),
        )
    assert set(excinfo.value.fields) == {"mention_ids"}
    assert not Comment.objects.filter(body_text="看一下").exists()


@pytest.mark.django_db
def test_attachments_are_typed_by_their_bytes_and_attach_to_one_reply_only(ticket, agent):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    attachment = attachment_add(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=ticket,
        filename="../../etc/截图.txt",
        content=io.BytesIO(png),
    )
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "截图.txt",
        "image/png",
        len(png),
    )
    assert attachment.file.read() == png

    thread = ticket_reply(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=ticket,
        data=ReplyInput(body="见附件", attachment_ids=[attachment.pk]),
    )
    assert list(thread.attachments.all()) == [attachment]
    with pytest.raises(ValidationFailed) as excinfo:
        ticket_reply(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=ReplyInput(body="again", attachment_ids=[attachment.pk]),
        )
    assert set(excinfo.value.fields) == {"attachment_ids"}


@pytest.mark.django_db
def test_attachment_limits(ticket, agent, settings):
    settings.KEFU_MAX_ATTACHMENT_BYTES = 10
    actor = Actor.agent(agent.user)
    with pytest.raises(PayloadTooLarge) as too_large:
        attachment_add(
            actor=actor, source=Source.WEB, ticket=ticket, filename="a.bin", content=io.BytesIO(b"x" * 11)
        )
    assert too_large.value.status_code == 413
    with pytest.raises(ValidationFailed):
        attachment_add(
            actor=actor, source=Source.WEB, ticket=ticket, filename="a.bin", content=io.BytesIO(b"")
        )
    text = attachment_add(
        actor=actor, source=Source.WEB, ticket=ticket, filename="", content=io.BytesIO("中文".encode())
    )
    assert (text.filename, text.content_type) == ("attachment", "text/plain")


@pytest.mark.django_db
def test_a_customer_message_is_inbound_and_does_not_count_as_a_response(ticket):
    thread = ticket_receive(
        actor=Actor.contact(ticket.contact),
        source=Source.EMAIL,
        ticket=ticket,
        data=MessageInput(body="还是不行", message_id="<abc@example.cn>"),
    )
    ticket.refresh_from_db()
    assert (thread.direction, thread.author_contact, thread.from_address) == (
        "in",
        ticket.contact,
        "wang.fang@example.cn",
    )
    assert ticket.first_responded_at is None
    event = ticket.events.latest("id")
    assert (event.action, event.field, event.new_value, event.actor_kind) == (
        "ticket.message_received",
        "threads",
        {"id": thread.pk},
        "contact",
    )


@pytest.mark.django_db
def test_a_reply_to_a_requester_without_an_address_is_kept_but_not_delivered(
    create_ticket, agent, django_capture_on_commit_callbacks
):
    from kefu.contacts.tests.factories import ContactFactory
    from kefu.tickets.inputs import ContactRef

    ticket = create_ticket(contact=ContactRef(contact_id=ContactFactory(email="", phone="13800000000").pk))
    with django_capture_on_commit_callbacks(execute=True):
        thread = ticket_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="已处理")
        )
    thread.refresh_from_db()
    assert (thread.to, thread.channel, thread.delivery_status) == ([], "web", "no_addr")
    assert thread.get_delivery_status_display() == "Not delivered: no address"
