from __future__ import annotations

import factory

from kefu.contacts.models import Account, Contact, ContactEmail


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"上海客户{n}有限公司")


class ContactFactory(factory.django.DjangoModelFactory):
    """A contact whose primary address is also registered for lookups, as the services do."""

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"客户{n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.cn")

    @factory.post_generation
    def _address(self, create, extracted, **kwargs):
        if create and self.email:
            ContactEmail.objects.get_or_create(
                address=self.email.lower(), defaults={"contact": self, "is_primary": True}
            )
