"""Lock-out after repeated failed sign-ins, kept in the database so every web process sees it.

An email address is locked for ``LOCK_MINUTES`` once it has ``EMAIL_LIMIT`` failures within
``WINDOW_MINUTES``; an IP address likewise after ``IP_LIMIT`` failures (higher, because a whole office
may share one address). While locked, attempts are refused without checking the password and are not
counted, so the lock ends ``LOCK_MINUTES`` after the failure that triggered it. The refusal message is
the same whether or not the account exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.org.models import SignInAttempt, User

EMAIL_LIMIT = 5
IP_LIMIT = 20
WINDOW_MINUTES = 15
LOCK_MINUTES = 15


def _normalise(email: str) -> str:
    return email.strip().lower()[:254]


def _locked_until(failures: QuerySet[SignInAttempt], limit: int, now: dt.datetime) -> dt.datetime | None:
    """The end of the latest lock among ``failures``, or None: a lock starts at any failure that is the
    ``limit``-th within ``WINDOW_MINUTES``."""
    window = dt.timedelta(minutes=WINDOW_MINUTES)
    lock = dt.timedelta(minutes=LOCK_MINUTES)
    times = list(
        failures.filter(created_at__gt=now - window - lock)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    until = None
    for index in range(limit - 1, len(times)):
        if times[index] - times[index - limit + 1] <= window:
            until = times[index] + lock
    return until if until is not None and until > now else None


def sign_in_locked(*, email: str, ip_address: str | None, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if _locked_until(SignInAttempt.objects.filter(email=_normalise(email)), EMAIL_LIMIT, now):
        return True
    by_ip = SignInAttempt.objects.filter(ip_address=ip_address)
    return bool(ip_address and _locked_until(by_ip, IP_LIMIT, now))


def sign_in_attempt_record(*, email: str, ip_address: str | None, now: dt.datetime | None = None) -> bool:
    """Record one failed sign-in; returns True when this failure locks the address or the IP."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = SignInAttempt.objects.create(email=_normalise(email), ip_address=ip_address, created_at=now)
        locked = sign_in_locked(email=email, ip_address=ip_address, now=now)
        if locked:
            audit_record(
                actor=Actor.system(),
                source=Source.WEB,
                action="sign_in.locked_out",
                obj=attempt,
                changes={"email": attempt.email, "ip_address": ip_address},
            )
    return locked


def sign_in_succeeded(*, user: User, email: str, ip_address: str | None) -> None:
    """Clear the failures of this email address and record the sign-in.

    The IP's failures stay: one valid account must not reset the counter of someone guessing others.
    """
    with transaction.atomic():
        SignInAttempt.objects.filter(email=_normalise(email)).delete()
        audit_record(
            actor=Actor.agent(user),
            source=Source.WEB,
            action="user.signed_in",
            obj=user,
            changes={"ip_address": ip_address},
        )


def sign_out_record(*, user: User) -> None:
    audit_record(actor=Actor.agent(user), source=Source.WEB, action="user.signed_out", obj=user)
