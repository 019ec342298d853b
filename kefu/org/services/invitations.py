"""The invitation e-mail: a link, built with Django's password-reset tokens, to choose a first password.

The token is derived from the user's password hash and last sign-in, so the link stops working as soon
as a password is set. The mail goes out after the transaction that created the agent commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kefu.core import events
from kefu.core.event_types import EventType
from kefu.core.events import Event
from kefu.org.models import Agent


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
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [agent.user.email])


# Registered here rather than in AppConfig.ready: the only publisher is agents.py, imported together
# with this module by the services package, so the consumer is always in place before an invitation.
events.register_consumer("org.invitation", [EventType.AGENT_INVITED], send_invitations)
