"""Email intake: every way mail reaches Kefu (IMAP, POP3, SMTP listener, MTA pipe, HTTP) ends here.

    inbound = message_store(raw, source=InboundMessage.Source.PIPE, mailbox=mailbox)  # committed first
    message_process(inbound.pk)                                                       # then understood

``message_store`` commits the raw bytes (with SHA-256, size, source and time) before anything parses
them. ``message_process`` parses, de-duplicates (Message-ID, or SHA-256 without one), applies loop
protection, finds or creates the contact, threads the message (see ``kefu.channels.email.threading``)
and writes the ticket or thread through the tickets services — in one transaction with the message's
new state, so a crash leaves either nothing or everything, and ``messages_process_pending`` (a beat
task) finishes what a crash interrupted. Errors quarantine the message with the reason;
``message_reprocess`` tries again.

Events published after commit:

``mail.ticket_opened``
    A new ticket came from email. Payload: ``inbound_message_id`` (int), ``mailbox_id`` (int),
    ``ticket_id`` (int), ``may_auto_reply`` (bool: False for auto-submitted, daemon, our-own-address and
    spam messages).
    The transport side subscribes to it to send the acknowledgement.
"""

from kefu.channels.email.intake.process import message_process, message_reprocess, messages_process_pending
from kefu.channels.email.intake.store import intake_secret_matches, message_store, secret_digest

__all__ = [
    "intake_secret_matches",
    "message_process",
    "message_reprocess",
    "message_store",
    "messages_process_pending",
    "secret_digest",
]
