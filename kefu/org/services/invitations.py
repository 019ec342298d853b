"""The invitation e-mail: a link, built with Django's password-reset tokens, to choose a first password.

The token is derived from the user's password hash and last sign-in, so the link stops working as soon
as a password is set (a one-time link). The mail goes out after the transaction that created the agent
commits; whether it left is recorded on ``InvitationDelivery``, so that a help desk without a working mail
server sees the failure on the agents page and copies the link to send another way.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kefu.core import events
from kefu.core.event_types import EventType
from kefu.core.events import Event
from kefu.org.models import Agent, InvitationDelivery

logger = logging.getLogger(__name__)


def set_password_link(site_url: str, user: Any) -> str:
    path = reverse(
        "password-set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url.rstrip("/") + path


def send_invitations(events: list[Event]) -> None:
    for event in events:
        send_invitation(event.payload)


def send_invitation(payload: Mapping[str, Any]) -> None:
    agent = Agent.objects.select_related("user").filter(user_id=payload["user_id"]).first()
    if agent is None or not agent.user.is_active:
        return
    link = set_password_link(payload["site_url"], agent.user)
    with translation.override(agent.language):
        subject = _("You have been invited to Kefu")
        body = _(
            "Hello %(name)s,\n\nAn account has been created for you on the Kefu help desk.\n"
            "Choose your password here:\n\n%(link)s\n\nThen sign in with %(email)s.\n"
        ) % {"name": agent.user.name or agent.user.email, "link": link, "email": agent.user.email}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [agent.user.email])
    except Exception as exc:  # any transport failure: refused, DNS, authentication, timeout
        # Recorded for the agents page rather than retried: an administrator without a mail server
        # copies the link instead, and "send again" retries on purpose.
        logger.warning("invitation mail to agent %s failed: %s", agent.pk, exc)
        invitation_delivery_record(agent, InvitationDelivery.State.FAILED, str(exc) or type(exc).__name__)
    else:
        invitation_delivery_record(agent, InvitationDelivery.State.SENT, "")


def invitation_delivery_record(agent: Agent, state: str, error: str = "") -> None:
    """Remember the last invitation mail's fate (``pending`` when it is queued)."""
    InvitationDelivery.objects.update_or_create(
        agent=agent, defaults={"state": state, "error": error[:500], "updated_at": timezone.now()}
    )


# Registered here rather than in AppConfig.ready: the only publisher is agents.py, imported together
# with this module by the services package, so the consumer is always in place before an invitation.
events.register_consumer("org.invitation", [EventType.AGENT_INVITED], send_invitations)
