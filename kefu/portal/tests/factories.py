"""Factories for the help center: customers who sign in (a user, a contact, the link between them)."""

from __future__ import annotations

import factory
from django.utils import timezone

from kefu.contacts.tests.factories import ContactFactory
from kefu.org.tests.factories import UserFactory
from kefu.portal.models import Customer, HelpCenter


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    contact = factory.SubFactory(ContactFactory)
    user = factory.SubFactory(
        UserFactory,
        email=factory.SelfAttribute("..contact.email"),
        name=factory.SelfAttribute("..contact.name"),
    )
    language = "en"
    email_verified_at = factory.LazyFunction(timezone.now)


class HelpCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpCenter
        django_get_or_create = ("brand",)
