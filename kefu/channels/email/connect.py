"""Opening IMAP, POP3 and SMTP connections for a mailbox with the security it is configured for.

Shared by the poller and the "test connection" button, so that what the button checks is exactly what
the poller will do.
"""

from __future__ import annotations

import base64
import contextlib
import imaplib
import poplib
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kefu.channels.email.models import Mailbox, Security

TIMEOUT = 30

DEFAULT_PORTS = {
    (Mailbox.Protocol.IMAP, Security.SSL): 993,
    (Mailbox.Protocol.IMAP, Security.STARTTLS): 143,
    (Mailbox.Protocol.IMAP, Security.NONE): 143,
    (Mailbox.Protocol.POP3, Security.SSL): 995,
    (Mailbox.Protocol.POP3, Security.STARTTLS): 110,
    (Mailbox.Protocol.POP3, Security.NONE): 110,
}
SMTP_DEFAULT_PORTS = {Security.SSL: 465, Security.STARTTLS: 587, Security.NONE: 25}


def tls_context() -> ssl.SSLContext:
    """Verified TLS with the system's trust store (``SSL_CERT_FILE`` adds a private CA)."""
    return ssl.create_default_context()


def encode_folder(name: str) -> str:
    """A folder name as IMAP wants it on the wire: modified UTF-7 (RFC 3501 5.1.3), quoted."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode().rstrip("=")
            out.append("&" + encoded.replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    quoted = "".join(out).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}"'


def _port(mailbox: Mailbox) -> int:
    return mailbox.port or DEFAULT_PORTS[(mailbox.protocol, mailbox.security)]


def imap_connect(mailbox: Mailbox) -> imaplib.IMAP4:
    """An IMAP session logged in to ``mailbox``'s server."""
    if mailbox.security == Security.SSL:
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            mailbox.host, _port(mailbox), ssl_context=tls_context(), timeout=TIMEOUT
        )
    else:
        client = imaplib.IMAP4(mailbox.host, _port(mailbox), timeout=TIMEOUT)
        if mailbox.security == Security.STARTTLS:
            client.starttls(ssl_context=tls_context())
    try:
        client.login(mailbox.username, mailbox.password)
    except Exception:
        _close_quietly(client.shutdown)
        raise
    return client


def pop3_connect(mailbox: Mailbox) -> poplib.POP3:
    """A POP3 session logged in to ``mailbox``'s server (the maildrop is locked until ``quit``)."""
    if mailbox.security == Security.SSL:
        client: poplib.POP3 = poplib.POP3_SSL(
            mailbox.host, _port(mailbox), context=tls_context(), timeout=TIMEOUT
        )
    else:
        client = poplib.POP3(mailbox.host, _port(mailbox), timeout=TIMEOUT)
        if mailbox.security == Security.STARTTLS:
            client.stls(context=tls_context())
    try:
        client.user(mailbox.username)
        client.pass_(mailbox.password)
    except Exception:
        _close_quietly(client.close)
        raise
    return client


def smtp_connect(mailbox: Mailbox) -> smtplib.SMTP:
    """An SMTP session with ``mailbox``'s own outgoing server, logged in when it has a user name."""
    port = mailbox.smtp_port or SMTP_DEFAULT_PORTS[mailbox.smtp_security]
    if mailbox.smtp_security == Security.SSL:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            mailbox.smtp_host, port, timeout=TIMEOUT, context=tls_context()
        )
    else:
        client = smtplib.SMTP(mailbox.smtp_host, port, timeout=TIMEOUT)
        if mailbox.smtp_security == Security.STARTTLS:
            client.starttls(context=tls_context())
    try:
        if mailbox.smtp_username:
            client.login(mailbox.smtp_username, mailbox.smtp_password)
    except Exception:
        _close_quietly(client.close)
        raise
    return client


def _close_quietly(close: Callable[[], object]) -> None:
    with contextlib.suppress(OSError):
        close()


def imap_logout(client: imaplib.IMAP4) -> None:
    try:
        client.logout()
    except (imaplib.IMAP4.error, OSError):
        _close_quietly(client.shutdown)


@dataclass(frozen=True)
class CheckResult:
    what: str  # "IMAP", "POP3", "SMTP"
    ok: bool
    detail: str


def smtp_reply(exc: smtplib.SMTPResponseException) -> str:
    """The server's answer as people read it: "550 5.7.1 Relaying denied"."""
    message = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
    return f"{exc.smtp_code} {message}"


def describe_error(exc: Exception) -> str:
    """What went wrong, for the administrator: the server's words, never a piece of the credentials."""
    if isinstance(exc, UnicodeError):
        # The codec's message quotes the character it choked on: a piece of the user name or password.
        return _("The user name or password contains characters the server does not accept.")
    if isinstance(exc, smtplib.SMTPResponseException):
        return smtp_reply(exc)
    if isinstance(exc, (imaplib.IMAP4.error, poplib.error_proto)) and exc.args:
        first = exc.args[0]
        return first.decode(errors="replace") if isinstance(first, bytes) else str(first)
    return f"{type(exc).__name__}: {exc}"


def redact(text: str, mailbox: Mailbox) -> str:
    """``text`` with any password of the mailbox that a server or a library echoed replaced."""
    for secret in (mailbox.password, mailbox.smtp_password):
        if secret:
            text = text.replace(secret, "********")
    return text


def _redacted(results: list[CheckResult], mailbox: Mailbox) -> list[CheckResult]:
    return [CheckResult(result.what, result.ok, redact(result.detail, mailbox)) for result in results]


def connection_check(mailbox: Mailbox) -> list[CheckResult]:
    """Log in to the mailbox's intake server and its own SMTP server, as the poller and sender would."""
    return _redacted(_connection_check(mailbox), mailbox)


def _connection_check(mailbox: Mailbox) -> list[CheckResult]:
    results = []
    if mailbox.protocol == Mailbox.Protocol.IMAP:
        try:
            client = imap_connect(mailbox)
            try:
                status, data = client.select(encode_folder(mailbox.folder or "INBOX"), readonly=True)
                detail = (
                    f"{mailbox.folder}: {int(data[0])}"
                    if status == "OK"
                    else describe_error(imaplib.IMAP4.error(data[-1]))
                )
                results.append(CheckResult("IMAP", status == "OK", detail))
            finally:
                imap_logout(client)
        except Exception as exc:
            results.append(CheckResult("IMAP", False, describe_error(exc)))
    elif mailbox.protocol == Mailbox.Protocol.POP3:
        try:
            client = pop3_connect(mailbox)
            try:
                count, _size = client.stat()
                results.append(CheckResult("POP3", True, str(count)))
            finally:
                client.quit()
        except Exception as exc:
            results.append(CheckResult("POP3", False, describe_error(exc)))
    if mailbox.smtp_host:
        try:
            client = smtp_connect(mailbox)
            try:
                code, _message = client.noop()
                results.append(CheckResult("SMTP", code == 250, str(code)))
            finally:
                client.quit()
        except Exception as exc:
            results.append(CheckResult("SMTP", False, describe_error(exc)))
    return results
