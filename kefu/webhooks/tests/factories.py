"""Webhook factories: rows written directly (the services check URLs; factories take them as given)."""

from __future__ import annotations

import factory

from kefu.webhooks.models import WebhookSubscription


class WebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookSubscription

    name = factory.Sequence(lambda n: f"接收方 {n}")
    url = "http://127.0.0.1:9/hook"
    secret = factory.Sequence(lambda n: f"whsec_test_{n}")
    event_types = factory.LazyFunction(lambda: ["ticket.created"])
    criteria = factory.LazyFunction(lambda: {"all": []})
    enabled = True
