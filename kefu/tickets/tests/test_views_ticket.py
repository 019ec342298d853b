"""The ticket page: rendering, partials, posting replies and comments, in-place edits, files, mentions."""

from __future__ import annotations

import datetime as dt
import io

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.customfields.models import CustomField
from kefu.org.tests.factories import AgentFactory, TeamFactory
from kefu.tickets.inputs import CommentInput, MessageInput, ReplyInput
from kefu.tickets.models import Attachment, Comment, Priority, Status, Thread, TicketEvent, TicketRead
from kefu.tickets.services import (
    attachment_add,
    ticket_comment,
    ticket_delete,
    ticket_receive,
    ticket_reply,
    ticket_update,
)
from kefu.tickets.tests.factories import TicketFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
HTMX = {"HTTP_HX_REQUEST": "true"}


class TicketCustomFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomField

    module = "ticket"
    key = factory.Sequence(lambda n: f"field_{n}")
    name = factory.Sequence(lambda n: f"字段{n}")
    field_type = "text"


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


def url(name, ticket, *args):
    return reverse(f"tickets:{name}", args=[ticket.pk, *args])


def add_conversation(ticket, agent, count):
    """``count`` customer messages, each answered, commented on and with an image attached."""
    customer = Actor.system()
    staff = Actor.agent(agent.user)
    for index in range(count):
        image = attachment_add(
            actor=customer, source=Source.EMAIL, ticket=ticket, filename=f"photo{index}.png", content=_png()
        )
        ticket_receive(
            actor=customer,
            source=Source.EMAIL,
            ticket=ticket,
            data=MessageInput(
                body=f"消息 {index}",
                attachment_ids=[image.pk],
                full_html=f"<p>消息 {index}</p><blockquote>旧</blockquote>",
            ),
        )
        ticket_reply(actor=staff, source=Source.WEB, ticket=ticket, data=ReplyInput(body=f"回复 {index}"))
        ticket_comment(
            actor=staff,
            source=Source.WEB,
            ticket=ticket,
            data=CommentInput(body=f"备注 {index}", mention_ids=[agent.user.pk]),
        )


def _png():
    return io.BytesIO(PNG)


# The page


@pytest.mark.django_db
def test_the_page_shows_header_conversation_history_and_contact(signed_in, ticket, agent):
    add_conversation(ticket, agent, 1)
    response = signed_in.get(url("detail", ticket))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"#{ticket.number}</span>打印机无法连接网络" in html
    assert "消息 0" in html
    assert "回复 0" in html
    assert "备注 0" in html
    assert "Show the whole message" in html
    assert 'alt="photo0.png"' in html
    assert "张伟 replied to the customer" in html
    assert "张伟 added an internal comment" in html
    assert "王芳" in html
    assert "wang.fang@example.cn" in html
    assert html.index("消息 0") < html.index("回复 0") < html.index("备注 0")


@pytest.mark.django_db
def test_opening_the_page_marks_the_ticket_read(signed_in, ticket, agent):
    signed_in.get(url("detail", ticket))
    read = TicketRead.objects.get(user=agent.user, ticket=ticket)
    signed_in.get(url("detail", ticket))
    assert TicketRead.objects.get(user=agent.user, ticket=ticket).seen_at >= read.seen_at
    assert TicketRead.objects.count() == 1


@pytest.mark.django_db
def test_a_live_refresh_of_the_conversation_marks_it_read_too(signed_in, ticket, agent):
    signed_in.get(url("detail", ticket) + "?part=history", **HTMX)
    assert not TicketRead.objects.exists()
    signed_in.get(url("detail", ticket) + "?part=conversation", **HTMX)
    assert TicketRead.objects.get().user == agent.user


@pytest.mark.django_db
def test_times_are_shown_in_the_agents_time_zone(client, create_ticket, department):
    agent = AgentFactory(user__name="Li", departments=[department], time_zone="Europe/London")
    ticket = create_ticket()
    moment = dt.datetime(2026, 1, 5, 2, 30, tzinfo=dt.UTC)
    TicketEvent.objects.filter(ticket=ticket).update(created_at=moment)
    client.force_login(agent.user)
    html = client.get(url("detail", ticket)).content.decode()
    assert "Jan 5, 2026 02:30" in html  # the English format; Chinese pages read 2026-01-05 02:30
    agent.time_zone = "Asia/Shanghai"
    agent.save()
    # The zone is kept in the session (TimeZoneMiddleware): a new sign-in picks up the change.
    client.logout()
    client.force_login(agent.user)
    assert "Jan 5, 2026 10:30" in client.get(url("detail", ticket)).content.decode()


@pytest.mark.django_db
def test_another_departments_ticket_is_404_and_not_marked_read(client, ticket, other_agent):
    client.force_login(other_agent.user)
    assert client.get(url("detail", ticket)).status_code == 404
    assert client.get(url("detail", ticket) + "?part=conversation", **HTMX).status_code == 404
    assert not TicketRead.objects.exists()


@pytest.mark.django_db
def test_a_deleted_ticket_is_404(signed_in, ticket, admin_agent):
    ticket_delete(actor=Actor.agent(admin_agent.user), source=Source.WEB, ticket=ticket)
    assert signed_in.get(url("detail", ticket)).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, ticket):
    response = client.get(url("detail", ticket))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("part", "marker"),
    [("conversation", 'id="ticket-conversation"'), ("history", 'id="ticket-history"'),
     ("properties", 'id="ticket-properties"'), ("header", 'id="ticket-header"')],
)  # fmt: skip
def test_each_region_renders_alone_for_htmx(signed_in, ticket, part, marker):
    response = signed_in.get(url("detail", ticket) + f"?part={part}", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f"<div {marker}") or html.lstrip().startswith(f"<section {marker}")
    assert "<html" not in html


@pytest.mark.django_db
def test_the_whole_message_is_loaded_on_demand_and_sanitised(signed_in, ticket):
    thread = ticket_receive(
        actor=Actor.system(),
        source=Source.EMAIL,
        ticket=ticket,
        data=MessageInput(
            body="新的", full_html="<p>新的</p><blockquote>旧的</blockquote><script>x()</script>"
        ),
    )
    response = signed_in.get(url("detail", ticket) + f"?part=full&thread={thread.pk}", **HTMX)
    assert response.content.decode().strip() == "<p>新的</p><blockquote>旧的</blockquote>"
    assert signed_in.get(url("detail", ticket) + "?part=full&thread=x", **HTMX).status_code == 404


@pytest.mark.django_db
def test_failed_delivery_shows_the_reason(signed_in, ticket, agent):
    thread = ticket_reply(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="好")
    )
    Thread.objects.filter(pk=thread.pk).update(
        delivery_status="failed", delivery_error="550 mailbox unavailable"
    )
    html = signed_in.get(url("detail", ticket)).content.decode()
    assert "The reply could not be sent. 550 mailbox unavailable" in html
    assert 'data-testid="delivery-status">Failed<' in html


@pytest.mark.django_db
def test_the_contact_card_lists_only_visible_other_tickets(signed_in, create_ticket, other_department):
    ticket = create_ticket()
    mine = create_ticket(subject="另一个问题")
    create_ticket(subject="财务的问题", department_id=other_department.pk)
    html = signed_in.get(url("detail", ticket)).content.decode()
    assert f"#{mine.number} 另一个问题" in html
    assert "财务的问题" not in html


@pytest.mark.django_db
def test_previous_and_next_are_neighbouring_open_tickets(signed_in, create_ticket):
    older = create_ticket()
    closed = create_ticket()
    ticket = create_ticket()
    newer = create_ticket()
    closed_status = Status.objects.filter(status_type="closed").first()
    ticket_update(
        actor=Actor.system(), source=Source.WEB, ticket=closed, changes={"status": closed_status.pk}
    )
    html = signed_in.get(url("detail", ticket)).content.decode()
    assert f'id="ticket-previous" rel="prev" href="{url("detail", newer)}"' in html
    assert f'id="ticket-next" rel="next" href="{url("detail", older)}"' in html


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_conversation(client, create_ticket, agent):
    client.force_login(agent.user)
    small, large = create_ticket(), create_ticket(subject="大")
    add_conversation(small, agent, 2)
    add_conversation(large, agent, 20)
    for ticket in (small, large):
        client.get(url("detail", ticket))  # the first visit also creates the read marker
    counts = []
    for ticket in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("detail", ticket)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Replies


@pytest.mark.django_db
def test_a_reply_with_cc_files_and_signature_is_sent(
    signed_in, ticket, agent, django_capture_on_commit_callbacks
):
    agent.signature = "张伟\n售后服务部"
    agent.save()
    files = [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("说明.txt", "请查看".encode())]
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            url("reply", ticket),
            {
                "body": "<div>您好</div>",
                "cc": "boss@example.cn, Li@Example.cn",
                "signature": "on",
                "files": files,
            },
            **HTMX,
        )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "kefu-ticket-changed"
    thread = Thread.objects.get(direction=Thread.Direction.OUTBOUND)
    assert thread.body_html == "<div>您好</div><p>-- </p><p>张伟<br>售后服务部</p>"
    assert thread.cc == ["boss@example.cn", "li@example.cn"]
    assert sorted(thread.attachments.values_list("filename", flat=True)) == ["a.png", "说明.txt"]


@pytest.mark.django_db
def test_a_reply_without_javascript_redirects_to_the_thread(signed_in, ticket):
    response = signed_in.post(url("reply", ticket), {"body": "您好"})
    thread = Thread.objects.get(direction=Thread.Direction.OUTBOUND)
    assert response.status_code == 302
    assert response["Location"] == url("detail", ticket) + f"#thread-{thread.pk}"


@pytest.mark.django_db
def test_an_empty_reply_is_a_form_error_and_keeps_what_was_typed(signed_in, ticket):
    response = signed_in.post(
        url("reply", ticket), {"body": "<div><br></div>", "cc": "boss@example.cn"}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="boss@example.cn"' in html
    assert not Thread.objects.filter(direction=Thread.Direction.OUTBOUND).exists()


@pytest.mark.django_db
def test_an_empty_reply_without_javascript_renders_the_page_with_the_error(signed_in, ticket):
    response = signed_in.post(url("reply", ticket), {"body": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert "<html" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_cc_address_is_a_form_error(signed_in, ticket):
    response = signed_in.post(url("reply", ticket), {"body": "好", "cc": "not-an-address"}, **HTMX)
    assert response.status_code == 422
    assert "Enter valid email addresses." in response.content.decode()
    assert not Thread.objects.filter(direction=Thread.Direction.OUTBOUND).exists()


@pytest.mark.django_db
def test_an_oversized_attachment_refuses_the_whole_reply(signed_in, ticket, settings):
    settings.KEFU_MAX_ATTACHMENT_BYTES = 10
    files = [SimpleUploadedFile("small.txt", b"ok"), SimpleUploadedFile("big.txt", b"x" * 11)]
    response = signed_in.post(url("reply", ticket), {"body": "请看附件", "files": files}, **HTMX)
    assert response.status_code == 413
    assert "The file is too large." in response.content.decode()
    assert not Thread.objects.filter(direction=Thread.Direction.OUTBOUND).exists()
    assert not Attachment.objects.exists()
    assert not TicketEvent.objects.filter(action="attachment_added").exists()


@pytest.mark.django_db
def test_posting_to_another_departments_ticket_is_404_without_effect(client, ticket, other_agent):
    client.force_login(other_agent.user)
    assert client.post(url("reply", ticket), {"body": "好"}).status_code == 404
    assert client.post(url("comment", ticket), {"body": "好"}).status_code == 404
    assert client.post(url("property", ticket), {"field": "priority", "value": "1"}).status_code == 404
    assert not Thread.objects.filter(direction=Thread.Direction.OUTBOUND).exists()
    assert not Comment.objects.exists()
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1


@pytest.mark.django_db
def test_a_light_agent_cannot_reply_publicly_but_can_comment(client, ticket, light_agent):
    client.force_login(light_agent.user)
    page = client.get(url("detail", ticket)).content.decode()
    assert 'id="reply-form"' not in page
    assert 'id="comment-form"' in page
    response = client.post(
        url("reply", ticket), {"body": "您好", "files": [SimpleUploadedFile("a.txt", b"hi")]}, **HTMX
    )
    assert response.status_code == 403
    assert "You do not have permission to do this." in response.content.decode()
    assert not Thread.objects.filter(direction=Thread.Direction.OUTBOUND).exists()
    assert not Attachment.objects.exists()
    assert client.post(url("comment", ticket), {"body": "我看一下"}, **HTMX).status_code == 200
    assert Comment.objects.get().body_text == "我看一下"


# Comments and mentions


@pytest.mark.django_db
def test_a_comment_with_a_mention_notifies_after_commit(
    signed_in, ticket, department, django_capture_on_commit_callbacks
):
    colleague = AgentFactory(user__name="王芳", departments=[department])
    with django_capture_on_commit_callbacks() as callbacks:
        response = signed_in.post(
            url("comment", ticket),
            {"body": "<div>@王芳 请看</div>", "mention_ids": [str(colleague.user.pk)]},
            **HTMX,
        )
    assert response.status_code == 200
    comment = Comment.objects.get()
    assert list(comment.mentions.all()) == [colleague.user]
    assert comment.is_public is False
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_mentioning_an_agent_who_cannot_see_the_ticket_is_a_form_error(signed_in, ticket, other_agent):
    response = signed_in.post(
        url("comment", ticket), {"body": "@杨磊 看", "mention_ids": [str(other_agent.user.pk)]}, **HTMX
    )
    assert response.status_code == 422
    assert "Only agents who can see this ticket can be mentioned." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_mention_suggestions_list_agents_who_can_see_the_ticket(
    signed_in, ticket, agent, other_agent, admin_agent, department
):
    AgentFactory(user__name="王芳", user__email="wang@kefu.test", departments=[department])
    response = signed_in.get(url("mentions", ticket) + "?q=王")
    assert response.json() == {
        "items": [{"id": response.json()["items"][0]["id"], "name": "王芳", "email": "wang@kefu.test"}]
    }
    names = [item["name"] for item in signed_in.get(url("mentions", ticket)).json()["items"]]
    assert "杨磊" not in names
    assert set(names) == {"张伟", "王芳", admin_agent.user.name}


@pytest.mark.django_db
def test_mention_suggestions_of_another_departments_ticket_are_404(client, ticket, other_agent):
    client.force_login(other_agent.user)
    assert client.get(url("mentions", ticket)).status_code == 404


# Properties


@pytest.mark.django_db
def test_changing_the_status_in_place_logs_it_and_refreshes_the_header(signed_in, ticket):
    target = Status.objects.exclude(pk=ticket.status_id).filter(status_type="open").first()
    response = signed_in.post(url("property", ticket), {"field": "status", "value": str(target.pk)}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "kefu-ticket-changed"
    html = response.content.decode()
    assert 'id="ticket-header" class="page-header mb-3" hx-swap-oob="true"' in html
    ticket.refresh_from_db()
    assert ticket.status == target
    event = TicketEvent.objects.get(ticket=ticket, field="status")
    assert (event.action, event.new_value) == (
        "ticket.updated",
        {"id": target.pk, "name": target.name, "type": "open"},
    )


@pytest.mark.django_db
def test_an_unknown_status_id_is_shown_next_to_the_field(signed_in, ticket):
    before = ticket.status_id
    response = signed_in.post(url("property", ticket), {"field": "status", "value": "999999"}, **HTMX)
    assert response.status_code == 422
    assert '<div class="invalid-feedback d-block">Unknown status.</div>' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status_id == before


@pytest.mark.django_db
def test_priority_assignee_team_and_text_fields_change_in_place(signed_in, ticket, agent, department):
    high = Priority.objects.get(name="高")
    team = TeamFactory(department=department, name="一线")
    for field, value in [
        ("priority", str(high.pk)),
        ("assignee", "me"),
        ("team", str(team.pk)),
        ("category", "硬件"),
    ]:
        assert (
            signed_in.post(url("property", ticket), {"field": field, "value": value}, **HTMX).status_code
            == 200
        )
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.assignee, ticket.team, ticket.category) == (
        high,
        agent.user,
        team,
        "硬件",
    )


@pytest.mark.django_db
def test_sla_due_times_are_shown_in_the_agents_time_zone_but_not_editable(signed_in, department):
    due = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    ticket = TicketFactory(department=department, resolution_due_at=due)
    page = signed_in.get(url("detail", ticket)).content.decode()
    assert '<time datetime="2026-12-01T18:00:00+08:00">2026-12-01 18:00</time>' in page
    assert 'name="field" value="resolution_due_at"' not in page
    assert 'name="field" value="first_response_due_at"' not in page
    assert "Computed by the SLA policy." in page
    for field in ("resolution_due_at", "first_response_due_at"):
        response = signed_in.post(
            url("property", ticket), {"field": field, "value": "2027-01-01T09:00"}, **HTMX
        )
        assert response.status_code == 404
    ticket.refresh_from_db()
    assert (ticket.resolution_due_at, ticket.first_response_due_at) == (due, None)
    assert not TicketEvent.objects.filter(ticket=ticket).exists()


@pytest.mark.django_db
def test_tags_are_added_and_removed_from_the_list(signed_in, ticket):
    signed_in.post(url("property", ticket), {"field": "tags", "value": "打印机, wifi"}, **HTMX)
    signed_in.post(url("property", ticket), {"field": "tags", "value": "wifi，VIP"}, **HTMX)
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["VIP", "wifi"]
    changes = TicketEvent.objects.filter(field="tags").order_by("id")
    assert list(changes.values_list("action", "old_value", "new_value")) == [
        ("ticket.updated", [], ["wifi", "打印机"]),
        ("ticket.updated", ["wifi", "打印机"], ["VIP", "wifi"]),
    ]


@pytest.mark.django_db
def test_custom_fields_of_the_department_are_edited_and_validated(signed_in, ticket):
    number = TicketCustomFieldFactory(key="qty", name="数量", name_en="Quantity", field_type="number")
    TicketCustomFieldFactory(key="model", field_type="picklist", choices=["M1", "M2"])
    page = signed_in.get(url("detail", ticket)).content.decode()
    assert 'for="prop-cf-qty">Quantity</label>' in page
    ok = signed_in.post(url("property", ticket), {"field": "custom_fields.qty", "value": "3"}, **HTMX)
    assert ok.status_code == 200
    bad = signed_in.post(url("property", ticket), {"field": "custom_fields.model", "value": "M9"}, **HTMX)
    assert bad.status_code == 422
    assert "Choose one of: M1, M2." in bad.content.decode()
    ticket.refresh_from_db()
    assert ticket.custom_fields == {"qty": 3}
    assert number.key == "qty"


@pytest.mark.django_db
def test_an_unknown_property_is_an_error_not_a_crash(signed_in, ticket):
    assert (
        signed_in.post(
            url("property", ticket), {"field": "custom_fields.nope", "value": "1"}, **HTMX
        ).status_code
        == 422
    )
    assert (
        signed_in.post(url("property", ticket), {"field": "number", "value": "1"}, **HTMX).status_code == 404
    )


@pytest.mark.django_db
def test_a_light_agent_cannot_edit_properties(client, ticket, light_agent):
    client.force_login(light_agent.user)
    response = client.post(url("property", ticket), {"field": "category", "value": "硬件"}, **HTMX)
    assert response.status_code == 403
    assert "You do not have permission to do this." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.category == ""


@pytest.mark.django_db
def test_moving_the_ticket_out_of_the_agents_departments_leaves_the_page(
    signed_in, ticket, agent, other_department
):
    agent.role = agent.role.__class__.objects.get(key="supervisor")
    agent.save()
    response = signed_in.post(
        url("property", ticket), {"field": "department", "value": str(other_department.pk)}, **HTMX
    )
    assert response.status_code == 204
    assert response["HX-Redirect"]


# Attachments


@pytest.mark.django_db
def test_attachments_download_for_visible_tickets_only(client, signed_in, ticket, other_agent):
    image = attachment_add(
        actor=Actor.system(), source=Source.EMAIL, ticket=ticket, filename="p.png", content=_png()
    )
    inline = signed_in.get(url("attachment", ticket, image.pk) + "?inline=1")
    assert inline.status_code == 200
    assert inline["Content-Disposition"].startswith("inline")
    assert b"".join(inline.streaming_content) == PNG
    download = signed_in.get(url("attachment", ticket, image.pk))
    assert download["Content-Disposition"].startswith("attachment")
    client.logout()
    client.force_login(other_agent.user)
    assert client.get(url("attachment", ticket, image.pk)).status_code == 404


@pytest.mark.django_db
def test_the_history_is_told_in_words(signed_in, ticket, agent):
    high = Priority.objects.get(name="高")
    ticket_update(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"priority": high.pk}
    )
    html = signed_in.get(url("detail", ticket) + "?part=history", **HTMX).content.decode()
    assert "张伟 changed priority from Medium to High · " in html
    local = timezone.localtime(
        TicketEvent.objects.latest("id").created_at, dt.timezone(dt.timedelta(hours=8))
    )
    # One format per language: "Dec 7, 2026 09:32" in English ("2026-12-07 09:32" in Chinese).
    assert f"{local:%b} {local.day}, {local.year} {local:%H:%M}" in html


@pytest.mark.django_db
def test_a_failed_reply_offers_a_retry(signed_in, ticket, agent):
    thread = ticket_reply(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="好")
    )
    Thread.objects.filter(pk=thread.pk).update(delivery_status="failed", delivery_error="550")
    html = signed_in.get(url("detail", ticket)).content.decode()
    assert f'action="{reverse("mail:outbound-retry", args=[thread.pk])}"' in html


@pytest.mark.django_db
def test_only_administrators_see_the_source_of_an_email(client, ticket, agent, admin_agent):
    thread = ticket_receive(
        actor=Actor.system(),
        source=Source.EMAIL,
        ticket=ticket,
        data=MessageInput(body="你好", channel="email"),
    )
    source_link = f'href="{reverse("mail:thread-source", args=[thread.pk])}"'
    client.force_login(agent.user)
    assert source_link not in client.get(url("detail", ticket)).content.decode()
    client.force_login(admin_agent.user)
    assert source_link in client.get(url("detail", ticket)).content.decode()


@pytest.mark.django_db
def test_ids_beyond_the_database_range_are_errors_not_crashes(signed_in, ticket):
    huge = "9" * 30
    assert signed_in.get(f"/tickets/{huge}/").status_code == 404
    status = signed_in.post(url("property", ticket), {"field": "status", "value": huge}, **HTMX)
    assert status.status_code == 422
    assert "Unknown status." in status.content.decode()
    assignee = signed_in.post(url("property", ticket), {"field": "assignee", "value": huge}, **HTMX)
    assert assignee.status_code == 422
    comment = signed_in.post(url("comment", ticket), {"body": "看", "mention_ids": [huge]}, **HTMX)
    assert comment.status_code == 422
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_digits_that_are_not_ascii_are_errors_not_crashes(signed_in, ticket):
    # "²".isdigit() is true but int("²") raises: such ids must be refused like any other bad id.
    before = ticket.status_id
    full = signed_in.get(url("detail", ticket), {"part": "full", "thread": "²"}, **HTMX)
    assert full.status_code == 404
    status = signed_in.post(url("property", ticket), {"field": "status", "value": "²"}, **HTMX)
    assert status.status_code == 422
    ticket.refresh_from_db()
    assert ticket.status_id == before
    comment = signed_in.post(url("comment", ticket), {"body": "看", "mention_ids": ["²"]}, **HTMX)
    assert comment.status_code == 200
    assert Comment.objects.filter(ticket=ticket).count() == 1


@pytest.mark.django_db
def test_a_light_priority_colour_gets_dark_text_in_the_header(signed_in, ticket):
    Priority.objects.filter(pk=ticket.priority_id).update(colour="#ffeb3b")
    body = signed_in.get(url("detail", ticket)).content.decode()
    assert 'style="background-color: #ffeb3b; color: #000" data-testid="ticket-priority"' in body


@pytest.mark.django_db
def test_a_history_restore_gets_the_whole_page(signed_in, ticket):
    headers = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    response = signed_in.get(url("detail", ticket), {"part": "history"}, **headers)
    assert response.status_code == 200
    assert response.templates[0].name == "tickets/ticket.html"
