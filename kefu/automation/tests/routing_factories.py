"""Factories for skills, assignment rules, macros and canned replies (rows set up for reads and runs;
validation is tested through the services)."""

from __future__ import annotations

import factory

from kefu.automation.models import (
    AssignmentPointer,
    AssignmentRule,
    AssignmentRuleAgent,
    CannedReply,
    Macro,
    Skill,
)
from kefu.org.tests.factories import DepartmentFactory


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"技能{n}")
    name_en = factory.Sequence(lambda n: f"Skill {n}")

    @factory.post_generation
    def agents(self, create, extracted, **kwargs):
        if create and extracted:
            self.agents.set(extracted)


class AssignmentRuleFactory(factory.django.DjangoModelFactory):
    """A rule; ``agents=[agent, …]`` (profiles) become its chosen agents in that order."""

    class Meta:
        model = AssignmentRule
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"分配规则{n}")
    department = factory.SubFactory(DepartmentFactory)
    type = AssignmentRule.Type.ROUND_ROBIN
    order = factory.Sequence(lambda n: n)
    criteria = factory.LazyFunction(dict)

    @factory.post_generation
    def agents(self, create, extracted, **kwargs):
        if not create:
            return
        AssignmentPointer.objects.get_or_create(rule=self)
        for position, agent in enumerate(extracted or []):
            AssignmentRuleAgent.objects.create(rule=self, user_id=agent.user_id, position=position)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class MacroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Macro

    name = factory.Sequence(lambda n: f"宏{n}")
    actions = factory.LazyFunction(lambda: [{"type": "add_tags", "tags": ["已处理"]}])


class CannedReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CannedReply

    title = factory.Sequence(lambda n: f"快捷回复{n}")
    body = "您好,{{ contact.name }},感谢您的耐心等待。"
