"""Rule factories: rows written directly (services clean definitions; factories take them as given)."""

from __future__ import annotations

import factory

from kefu.automation.models import TimeRule, Trigger, WorkflowRule


class WorkflowRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowRule

    name = factory.Sequence(lambda n: f"规则 {n}")
    enabled = True
    order = factory.Sequence(lambda n: n)
    trigger = Trigger.CREATED
    criteria = factory.LazyFunction(lambda: {"all": []})
    actions = factory.LazyFunction(list)


class TimeRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeRule

    name = factory.Sequence(lambda n: f"定时规则 {n}")
    enabled = True
    order = factory.Sequence(lambda n: n)
    criteria = factory.LazyFunction(lambda: {"all": []})
    actions = factory.LazyFunction(list)
