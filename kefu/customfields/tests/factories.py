"""Factories for custom fields and their pick-list values."""

from __future__ import annotations

import factory

from kefu.customfields.models import CustomField, PicklistOption


class CustomFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomField
        skip_postgeneration_save = True

    module = CustomField.Module.TICKET
    key = factory.Sequence(lambda n: f"field_{n}")
    field_type = CustomField.FieldType.PICKLIST
    name = factory.Sequence(lambda n: f"字段{n}")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class PicklistOptionFactory(factory.django.DjangoModelFactory):
    """An option; ``choices`` on the field is refreshed as the services would."""

    class Meta:
        model = PicklistOption
        skip_postgeneration_save = True

    field = factory.SubFactory(CustomFieldFactory)
    value = factory.Sequence(lambda n: f"值{n}")
    label = factory.LazyAttribute(lambda option: option.value)
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)

    @factory.post_generation
    def _choices(self, create, extracted, **kwargs):
        if create:
            from kefu.customfields.services.options import refresh_choices

            refresh_choices(self.field)
