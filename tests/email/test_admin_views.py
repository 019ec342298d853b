"""The mail settings pages: mailboxes (with a real connection test), stored messages, raw sources, retry."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kefu.channels.email import intake
from kefu.channels.email.models import InboundMessage, Mailbox, OutboundEmail, Security
from kefu.channels.email.tests.factories import InboundMessageFactory, MailboxFactory
from kefu.core.actors import Actor, Source
from kefu.core.models import AuditEntry
from kefu.org.tests.factories import PASSWORD
from kefu.tickets.inputs import ReplyInput
from kefu.tickets.services import ticket_reply

pytestmark = pytest.mark.django_db


def raw_mail(message_id: str, subject: str, body: str, in_reply_to: str = "") -> bytes:
    headers = f"From: li.na@example.cn\r\nTo: support@kefu.test\r\nSubject: {subject}\r\n"
    headers += f"Message-ID: <{message_id}>\r\n"
    if in_reply_to:
        headers += f"In-Reply-To: <{in_reply_to}>\r\n"
    return f"{headers}\r\n{body}\r\n".encode()


def client_for(agent) -> Client:
    client = Client()
    assert client.login(username=agent.user.email, password=PASSWORD)
    return client


@pytest.fixture
def admin(admin_agent) -> Client:
    return client_for(admin_agent)


def form_data(department, **overrides) -> dict:
    data = {
        "name": "售后邮箱",
        "address": "Support@Kefu.test",
        "display_name": "售后客服",
        "department": department.pk,
        "brand": "",
        "is_active": "on",
        "protocol": "imap",
        "host": "imap.kefu.test",
        "port": "",
        "security": "ssl",
        "username": "support",
        "password": "s3cret-imap",
        "folder": "INBOX",
        "poll_interval": "60",
        "after_import": "keep",
        "move_to_folder": "",
        "smtp_host": "",
        "smtp_port": "",
        "smtp_security": "starttls",
        "smtp_username": "",
        "smtp_password": "",
        "reopen_within_days": "14",
        "auto_ack_subject_zh": "",
        "auto_ack_body_zh": "",
        "auto_ack_subject_en": "",
        "auto_ack_body_en": "",
    }
    data.update(overrides)
    return data


def test_mailbox_pages_are_for_administrators_only(agent, department):
    MailboxFactory(address="support@kefu.test")
    assert Client().get(reverse("mail:mailbox-list")).status_code == 302
    client = client_for(agent)
    assert client.get(reverse("mail:mailbox-list")).status_code == 403
    response = client.post(reverse("mail:mailbox-create"), form_data(department, address="new@kefu.test"))
    assert response.status_code == 403
    assert not Mailbox.objects.filter(address="new@kefu.test").exists()
    assert client.get(reverse("mail:inbound-list")).status_code == 403


def test_create_a_mailbox_audits_it_without_the_password(admin, admin_agent, department):
    response = admin.post(reverse("mail:mailbox-create"), form_data(department))

    assert response.status_code == 302
    assert response["Location"] == reverse("mail:mailbox-list")
    mailbox = Mailbox.objects.get()
    assert (mailbox.address, mailbox.protocol, mailbox.password) == (
        "support@kefu.test",
        "imap",
        "s3cret-imap",
    )
    entry = AuditEntry.objects.get(action="mailbox.created")
    assert entry.actor_id == admin_agent.user.pk
    assert entry.changes["password"] == "(changed)"
    assert "s3cret-imap" not in str(entry.changes)
    page = admin.get(reverse("mail:mailbox-list"))
    assert "support@kefu.test" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"host": ""}, "host", "Required for IMAP and POP3 mailboxes."),
        ({"after_import": "move"}, "move_to_folder", "Name the folder to move imported mail to."),
        ({"auto_ack_body_en": "Hi {% if %}"}, "auto_ack_body_en", "This template has an error:"),
        ({"auto_ack_subject_zh": "{{ subject|nosuchfilter }}"}, "auto_ack_subject_zh", "nosuchfilter"),
        ({"poll_interval": "5"}, "poll_interval", "greater than or equal to 30"),
        ({"address": "not an address"}, "address", "Enter a valid email address."),
    ],
)
def test_bad_input_is_shown_on_the_form(admin, department, overrides, field, message):
    response = admin.post(reverse("mail:mailbox-create"), form_data(department, **overrides))

    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert not Mailbox.objects.exists()


def test_duplicate_address_is_refused(admin, department):
    MailboxFactory(address="support@kefu.test")
    response = admin.post(reverse("mail:mailbox-create"), form_data(department))
    assert response.status_code == 422
    assert response.context["form"].errors["address"] == ["Another mailbox already has this address."]
    assert Mailbox.objects.count() == 1


def test_edit_never_shows_the_password_and_keeps_it_when_left_empty(admin, department):
    mailbox = MailboxFactory(
        department=department,
        address="support@kefu.test",
        protocol="imap",
        host="imap.kefu.test",
        username="support",
        password="s3cret-imap",
        smtp_host="smtp.kefu.test",
        smtp_password="s3cret-smtp",
        uidvalidity=7,
        last_uid=42,
    )
    page = admin.get(reverse("mail:mailbox-edit", args=[mailbox.pk])).content.decode()
    assert "s3cret" not in page
    assert "A password is stored; leave empty to keep it." in page

    response = admin.post(
        reverse("mail:mailbox-edit", args=[mailbox.pk]),
        form_data(department, password="", smtp_host="smtp.kefu.test", display_name="新名字"),
    )

    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert (mailbox.display_name, mailbox.password, mailbox.smtp_password) == (
        "新名字",
        "s3cret-imap",
        "s3cret-smtp",
    )
    assert (mailbox.uidvalidity, mailbox.last_uid) == (7, 42)  # same server and folder: memory kept

    admin.post(reverse("mail:mailbox-edit", args=[mailbox.pk]), form_data(department, folder="Support"))
    mailbox.refresh_from_db()
    assert (mailbox.folder, mailbox.uidvalidity, mailbox.last_uid) == ("Support", None, None)


def test_deactivate(admin, department):
    mailbox = MailboxFactory(department=department)
    response = admin.post(reverse("mail:mailbox-deactivate", args=[mailbox.pk]))
    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.is_active is False
    assert AuditEntry.objects.filter(action="mailbox.deactivated", object_id=mailbox.pk).count() == 1


def test_connection_test_logs_in_to_real_servers_without_saving(admin, department, mail_account, smtp_sink):
    data = form_data(
        department,
        host="127.0.0.1",
        port=str(mail_account.server.imap_port),
        security=Security.NONE,
        username=mail_account.username,
        password=mail_account.password,
        smtp_host=smtp_sink.host,
        smtp_port=str(smtp_sink.port),
        smtp_security=Security.NONE,
    )
    response = admin.post(reverse("mail:mailbox-test"), data, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert [(r.what, r.ok, r.detail) for r in response.context["results"]] == [
        ("IMAP", True, "INBOX: 0"),
        ("SMTP", True, "250"),
    ]
    assert "<html" not in response.content.decode()
    assert not Mailbox.objects.exists()

    data.update(password="wrong", protocol="pop3", port=str(mail_account.server.pop3_port), smtp_host="")
    response = admin.post(reverse("mail:mailbox-test"), data, headers={"HX-Request": "true"})
    [result] = response.context["results"]
    assert (result.what, result.ok) == ("POP3", False)
    assert "Authentication failed" in result.detail


def test_connection_test_uses_the_stored_password_when_the_field_is_empty(admin, department, mail_account):
    mailbox = MailboxFactory(
        department=department,
        protocol="pop3",
        host="127.0.0.1",
        port=mail_account.server.pop3_port,
        security=Security.NONE,
        username=mail_account.username,
        password=mail_account.password,
    )
    data = form_data(
        department,
        mailbox_id=str(mailbox.pk),
        protocol="pop3",
        host="127.0.0.1",
        port=str(mail_account.server.pop3_port),
        security=Security.NONE,
        username=mail_account.username,
        password="",
    )
    response = admin.post(reverse("mail:mailbox-test"), data)
    assert response.status_code == 200
    assert [(r.what, r.ok, r.detail) for r in response.context["results"]] == [("POP3", True, "0")]


def test_inbound_list_shows_quarantined_mail_and_reprocesses_it(admin, department):
    mailbox = MailboxFactory(department=department, address="support@kefu.test")
    raw = raw_mail("q1@example.cn", "hello", "hi")
    stuck = InboundMessageFactory(
        mailbox=mailbox, raw=raw, state=InboundMessage.State.QUARANTINED, reason="Processing failed: boom"
    )
    InboundMessageFactory(mailbox=mailbox, state=InboundMessage.State.IMPORTED, subject="fine")

    page = admin.get(reverse("mail:inbound-list"))
    assert [m.pk for m in page.context["page"].items] == [stuck.pk]
    assert "Processing failed: boom" in page.content.decode()

    response = admin.post(reverse("mail:inbound-reprocess", args=[stuck.pk]), {"state": "quarantined"})

    assert response.status_code == 302
    assert response["Location"] == reverse("mail:inbound-list") + "?state=quarantined"
    stuck.refresh_from_db()
    assert stuck.state == InboundMessage.State.IMPORTED
    assert stuck.ticket.subject == "hello"
    assert AuditEntry.objects.filter(action="inbound_message.reprocessed", object_id=stuck.pk).count() == 1
    assert admin.post(reverse("mail:inbound-reprocess", args=[99999])).status_code == 404


def test_raw_source_is_plain_text_in_a_charset_that_keeps_every_byte(admin, agent):
    utf8 = InboundMessageFactory(raw="Subject: 你好\r\n\r\n正文\r\n".encode())
    gbk = InboundMessageFactory(raw="Subject: 你好\r\n\r\n正文\r\n".encode("gb18030"))
    binary = InboundMessageFactory(raw=b"Subject: x\r\n\r\n\xff\xfe\x00\x81\r\n")

    for message, charset in ((utf8, "utf-8"), (gbk, "gb18030"), (binary, "iso-8859-1")):
        response = admin.get(reverse("mail:inbound-source", args=[message.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == f"text/plain; charset={charset}"
        assert response.content == bytes(message.raw)
    assert admin.get(reverse("mail:inbound-source", args=[99999])).status_code == 404
    assert client_for(agent).get(reverse("mail:inbound-source", args=[utf8.pk])).status_code == 403


def test_thread_source_is_the_message_the_thread_came_from(admin, admin_agent, department, create_ticket):
    mailbox = MailboxFactory(department=department, address="support@kefu.test")
    first = raw_mail("t1@example.cn", "a", "hi")
    intake.message_process(intake.message_store(first, source="pipe", mailbox=mailbox).pk)
    answer = raw_mail("t2@example.cn", "Re: a", "more", in_reply_to="t1@example.cn")
    inbound = intake.message_process(intake.message_store(answer, source="pipe", mailbox=mailbox).pk)
    assert inbound.thread_id is not None

    response = admin.get(reverse("mail:thread-source", args=[inbound.thread_id]))

    assert response.status_code == 200
    assert response.content == answer
    web_thread = ticket_reply(
        actor=Actor.agent(admin_agent.user),
        source=Source.WEB,
        ticket=create_ticket(),
        data=ReplyInput(body="x"),
    )
    assert admin.get(reverse("mail:thread-source", args=[web_thread.pk])).status_code == 404


def test_retry_button(agent, other_agent, department, smtp_sink, django_capture_on_commit_callbacks):
    mailbox = MailboxFactory(
        department=department,
        address="support@kefu.test",
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        smtp_security=Security.NONE,
    )
    raw = raw_mail("r1@example.cn", "a", "hi")
    ticket = intake.message_process(intake.message_store(raw, source="pipe", mailbox=mailbox).pk).ticket
    smtp_sink.refuse_with = "554 5.7.1 Rejected"
    with django_capture_on_commit_callbacks(execute=True):
        thread = ticket_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body="hello")
        )
    thread.refresh_from_db()
    assert thread.delivery_status == "failed"
    smtp_sink.refuse_with = ""

    denied = client_for(other_agent).post(reverse("mail:outbound-retry", args=[thread.pk]))
    assert denied.status_code == 404
    thread.refresh_from_db()
    assert thread.delivery_status == "failed"

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agent).post(reverse("mail:outbound-retry", args=[thread.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    thread.refresh_from_db()
    assert thread.delivery_status == "sent"
    assert OutboundEmail.objects.get(thread=thread).sent_at is not None
    assert len(smtp_sink.messages) == 1
    assert client_for(agent).get(reverse("mail:outbound-retry", args=[thread.pk])).status_code == 405


def test_raw_sources_are_for_administrators_only_and_leak_nothing(agent, department):
    mailbox = MailboxFactory(department=department, address="support@kefu.test")
    raw = raw_mail("secret-src@example.cn", "机密主题", "机密正文 card 6222")
    inbound = intake.message_process(intake.message_store(raw, source="pipe", mailbox=mailbox).pk)

    for url in (
        reverse("mail:inbound-source", args=[inbound.pk]),
        reverse("mail:thread-source", args=[inbound.thread_id]),
    ):
        anonymous = Client().get(url)
        assert anonymous.status_code == 302
        assert "/login" in anonymous["Location"]
        denied = client_for(agent).get(url)
        assert denied.status_code == 403
        assert b"6222" not in denied.content
        assert "机密".encode() not in denied.content


def test_connection_test_never_shows_the_password(admin, department, mail_account):
    secret = "密码-s3cret"  # not ASCII: the IMAP library refuses it, quoting the character it choked on
    data = form_data(
        department,
        host="127.0.0.1",
        port=str(mail_account.server.imap_port),
        security=Security.NONE,
        username=mail_account.username,
        password=secret,
    )
    response = admin.post(reverse("mail:mailbox-test"), data, headers={"HX-Request": "true"})

    [result] = response.context["results"]
    assert (result.what, result.ok) == ("IMAP", False)
    assert result.detail == "The user name or password contains characters the server does not accept."
    page = response.content.decode()
    assert "s3cret" not in page
    assert "密" not in page


def test_connection_test_redacts_a_password_echoed_back(department):
    from kefu.channels.email.connect import connection_check

    probe = Mailbox(
        protocol="imap", host="127.0.0.1", port=1, security=Security.NONE, username="u", password="111"
    )
    # Nothing listens on port 1: the error ("[Errno 111] Connection refused") contains the "password".
    [result] = connection_check(probe)
    assert (result.what, result.ok) == ("IMAP", False)
    assert result.detail == "ConnectionRefusedError: [Errno ********] Connection refused"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"port": "70000"}, "port"), ({"protocol": "gopher"}, "protocol"), ({"smtp_port": "x"}, "smtp_port")],
)
def test_connection_test_reports_bad_fields_without_connecting(admin, department, overrides, field):
    response = admin.post(reverse("mail:mailbox-test"), form_data(department, **overrides))
    assert response.status_code == 200
    assert response.context["results"] == []
    assert len(response.context["problems"]) == 1
    assert not Mailbox.objects.exists()
