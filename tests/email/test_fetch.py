"""The IMAP and POP3 pollers against a real Dovecot started by the test set-up."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from kefu.channels.email.connect import encode_folder
from kefu.channels.email.fetch import poll_all, poll_mailbox
from kefu.channels.email.models import InboundMessage, Mailbox, Pop3SeenMessage, Security
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def mail(n: int, *, subject: str = "", size: int = 0) -> bytes:
    padding = "\r\n" + ("x" * 70 + "\r\n") * (size // 72) if size else ""
    return (
        f"From: customer{n}@example.cn\r\n"
        "To: support@kefu.test\r\n"
        f"Subject: {subject or f'问题 {n}'}\r\n"
        f"Message-ID: <m{n}@example.cn>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"第 {n} 封邮件。{padding}\r\n"
    ).encode()


def imap_mailbox(account, **fields) -> Mailbox:
    values = {
        "address": "support@kefu.test",
        "protocol": Mailbox.Protocol.IMAP,
        "host": "127.0.0.1",
        "port": account.server.imap_port,
        "security": Security.NONE,
        "username": account.username,
        "password": account.password,
    }
    values.update(fields)
    return MailboxFactory(**values)


def subjects() -> list[str]:
    return sorted(Ticket.objects.values_list("subject", flat=True))


def test_imports_new_messages_and_remembers_them_across_restarts(mail_account):
    mail_account.append(mail(1))
    mail_account.deliver_file(mail(2), "1700000000.M1P1.test")
    mailbox = imap_mailbox(mail_account)

    assert poll_all() == 2

    mailbox.refresh_from_db()
    assert (mailbox.last_uid, mailbox.last_error) == (2, "")
    assert mailbox.uidvalidity is not None
    assert mailbox.last_polled_at is not None
    assert subjects() == ["问题 1", "问题 2"]
    assert set(InboundMessage.objects.values_list("source", "state")) == {("imap", "imported")}
    assert mail_account.folder_uids() == [1, 2]  # kept on the server by default

    # A fresh process knows only what the database says; another client marking mail unread changes nothing.
    client = mail_account.imap()
    client.select("INBOX")
    client.uid("STORE", "1:*", "-FLAGS", r"(\Seen)")
    client.logout()
    assert poll_all(mailbox_address="support@kefu.test") == 0

    mail_account.append(mail(3))
    assert poll_all(mailbox_address="SUPPORT@kefu.test") == 1
    assert InboundMessage.objects.count() == 3
    assert subjects() == ["问题 1", "问题 2", "问题 3"]


def test_messages_marked_read_by_another_client_are_still_imported(mail_account):
    mail_account.append(mail(1))
    client = mail_account.imap()
    client.select("INBOX")
    client.uid("STORE", "1", "+FLAGS", r"(\Seen)")
    client.logout()
    imap_mailbox(mail_account)

    assert poll_all() == 1


def test_a_changed_uidvalidity_imports_the_folder_again_without_duplicate_tickets(mail_account):
    mail_account.append(mail(1), folder="Support")
    mail_account.append(mail(2), folder="Support")
    mailbox = imap_mailbox(mail_account, folder="Support")
    assert poll_all() == 2
    mailbox.refresh_from_db()
    first_validity = mailbox.uidvalidity

    # The server renumbers the folder (restored from a backup, say): same mail, new UIDs, one more.
    client = mail_account.imap()
    client.delete("Support")
    client.logout()
    for n in (1, 2, 3):
        mail_account.append(mail(n), folder="Support")
    assert poll_mailbox(mailbox).stored == 3

    mailbox.refresh_from_db()
    assert mailbox.uidvalidity != first_validity
    assert mailbox.last_uid == 3
    assert subjects() == ["问题 1", "问题 2", "问题 3"]
    states = sorted(InboundMessage.objects.values_list("state", flat=True))
    assert states == ["duplicate", "duplicate", "imported", "imported", "imported"]


def test_move_after_import_to_a_chinese_folder(mail_account):
    mail_account.append(mail(1))
    mail_account.append(mail(2))
    imap_mailbox(mail_account, after_import=Mailbox.AfterImport.MOVE, move_to_folder="已导入")

    assert poll_all() == 2

    assert mail_account.folder_uids() == []
    assert encode_folder("已导入") == '"&XfJb,FFl-"'
    assert mail_account.folder_uids("&XfJb,FFl-") == [1, 2]
    assert "&XfJb,FFl-" in mail_account.folders()


def test_delete_after_import(mail_account):
    mail_account.append(mail(1))
    mail_account.append(mail(2))
    imap_mailbox(mail_account, after_import=Mailbox.AfterImport.DELETE)

    assert poll_all() == 2
    assert mail_account.folder_uids() == []
    assert subjects() == ["问题 1", "问题 2"]


def test_a_message_that_cannot_be_stored_does_not_block_the_rest_and_stays_on_the_server(
    mail_account, settings
):
    settings.KEFU_MAIL_MAX_MESSAGE_BYTES = 4000
    mail_account.append(mail(1))
    mail_account.append(mail(2, size=10_000))
    mail_account.append(mail(3))
    mailbox = imap_mailbox(mail_account, after_import=Mailbox.AfterImport.DELETE)

    assert poll_all() == 2

    mailbox.refresh_from_db()
    assert subjects() == ["问题 1", "问题 3"]
    assert mailbox.last_uid == 3
    assert mailbox.last_error.startswith("UID 2: The message is larger than 4000 bytes.")
    assert mail_account.folder_uids() == [2]  # not deleted: a person can still read it
    assert poll_all(mailbox_address=mailbox.address) == 0


def test_a_message_the_server_cannot_read_does_not_block_the_rest(mail_account):
    mail_account.append(mail(1))
    mail_account.deliver_file(mail(2), "1700000001.M2P1.test")
    mail_account.append(mail(3))
    broken = mail_account.maildir / "new" / "1700000001.M2P1.test"
    if broken.exists():
        os.chown(broken, 0, 0)
        broken.chmod(0)
    else:  # Dovecot already moved it to cur/ while listing
        for path in (mail_account.maildir / "cur").glob("1700000001.M2P1.test*"):
            os.chown(path, 0, 0)
            path.chmod(0)
    mailbox = imap_mailbox(mail_account)

    stored = poll_all()

    mailbox.refresh_from_db()
    assert stored == 2
    assert subjects() == ["问题 1", "问题 3"]
    assert mailbox.last_error.startswith("UID ")
    assert mailbox.last_uid == 3


def test_ssl_and_starttls(mail_account, dovecot, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.root / "cert.pem"))
    mail_account.append(mail(1))
    mailbox = imap_mailbox(mail_account, security=Security.SSL, port=dovecot.imaps_port)
    assert poll_all() == 1
    mail_account.append(mail(2))
    Mailbox.objects.filter(pk=mailbox.pk).update(security=Security.STARTTLS, port=dovecot.imap_port)
    assert poll_all(mailbox_address=mailbox.address) == 1
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""


def test_an_untrusted_certificate_is_refused_and_recorded(mail_account, dovecot):
    mail_account.append(mail(1))
    mailbox = imap_mailbox(mail_account, security=Security.SSL, port=dovecot.imaps_port)

    assert poll_all() == 0

    mailbox.refresh_from_db()
    assert "CERTIFICATE_VERIFY_FAILED" in mailbox.last_error
    assert InboundMessage.objects.count() == 0


def test_wrong_password_is_recorded_and_nothing_imported(mail_account):
    mail_account.append(mail(1))
    mailbox = imap_mailbox(mail_account, password="wrong")

    assert poll_all() == 0

    mailbox.refresh_from_db()
    assert "AUTHENTICATIONFAILED" in mailbox.last_error
    assert mailbox.last_polled_at is not None


def test_a_password_the_server_cannot_take_is_never_quoted_in_the_error(mail_account):
    mailbox = imap_mailbox(mail_account, password="密码wrong")

    assert poll_all() == 0

    mailbox.refresh_from_db()
    assert mailbox.last_error == "The user name or password contains characters the server does not accept."


def test_only_due_mailboxes_are_polled(mail_account):
    mail_account.append(mail(1))
    mailbox = imap_mailbox(mail_account, poll_interval=300)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now() - dt.timedelta(seconds=100))
    inactive = imap_mailbox(mail_account, address="old@kefu.test", is_active=False)

    assert poll_all() == 0
    assert poll_all(mailbox_address="old@kefu.test") == 0
    inactive.refresh_from_db()
    assert inactive.last_polled_at is None

    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now() - dt.timedelta(seconds=301))
    assert poll_all() == 1


def pop3_mailbox(account, **fields) -> Mailbox:
    return imap_mailbox(
        account, **{"protocol": Mailbox.Protocol.POP3, "port": account.server.pop3_port, **fields}
    )


def test_pop3_imports_each_uidl_once(mail_account):
    mail_account.append(mail(1))
    mail_account.append(mail(2))
    mailbox = pop3_mailbox(mail_account)

    assert poll_all() == 2
    assert poll_all(mailbox_address=mailbox.address) == 0
    mail_account.append(mail(3))
    assert poll_all(mailbox_address=mailbox.address) == 1

    assert subjects() == ["问题 1", "问题 2", "问题 3"]
    assert Pop3SeenMessage.objects.filter(mailbox=mailbox).count() == 3
    assert set(InboundMessage.objects.values_list("source", flat=True)) == {"pop3"}
    assert mail_account.folder_uids() == [1, 2, 3]


def test_pop3_deletes_after_import_and_forgets_uidls_that_left_the_server(mail_account, dovecot, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.root / "cert.pem"))
    mail_account.append(mail(1))
    mail_account.append(mail(2))
    mailbox = pop3_mailbox(
        mail_account, after_import=Mailbox.AfterImport.DELETE, security=Security.SSL, port=dovecot.pop3s_port
    )

    assert poll_all() == 2
    assert mail_account.folder_uids() == []
    assert Pop3SeenMessage.objects.filter(mailbox=mailbox).count() == 2

    mail_account.append(mail(3))
    assert poll_all(mailbox_address=mailbox.address) == 1
    assert Pop3SeenMessage.objects.filter(mailbox=mailbox).count() == 1
    assert subjects() == ["问题 1", "问题 2", "问题 3"]


def test_beat_polls_due_mailboxes(mail_account, settings):
    from kefu.celery import app
    from kefu.channels.email.tasks.transport import mail_poll_due_task

    assert settings.CELERY_BEAT_SCHEDULE["mail-poll-due"]["task"] == mail_poll_due_task.name
    assert mail_poll_due_task.name in app.tasks
    mail_account.append(mail(1))
    imap_mailbox(mail_account)

    assert mail_poll_due_task.apply().get() == 1
    assert subjects() == ["问题 1"]
