"""Factories of notification rows."""

from __future__ import annotations

import factory
from django.utils import timezone

from kefu.notifications.models import Notification, NotificationPreference, NotificationRule
from kefu.org.tests.factories import DepartmentFactory, UserFactory


class NotificationRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationRule

    department = factory.SubFactory(DepartmentFactory)
    event = "customer.ticket_closed"
    enabled = True
    recipients = factory.LazyFunction(lambda: ["contact", "cc"])
    channels = factory.LazyFunction(lambda: ["email"])


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    event = "agent.mentioned"
    text = factory.Sequence(lambda n: f"张伟 在工单 #{n} 中提到了您")
    created_at = factory.LazyFunction(timezone.now)


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    channels = factory.LazyFunction(dict)
