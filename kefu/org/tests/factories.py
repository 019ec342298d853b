"""Factories for the organisation: users, departments, teams and agents with each built-in role."""

from __future__ import annotations

import factory

from kefu.org.models import Agent, ApiKey, Department, Role, Team, User
from kefu.org.services import api_key_create

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@kefu.test")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class AgentFactory(factory.django.DjangoModelFactory):
    """An agent with the built-in role ``role__key`` (default: agent) in ``departments``."""

    class Meta:
        model = Agent
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    class Params:
        role_key = "agent"

    @factory.lazy_attribute
    def role(self):
        return Role.objects.get(key=self.role_key)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class ApiKeyFactory:
    """Keys are created through the service, because only it knows the secret."""

    @staticmethod
    def create(user: User, name: str = "test") -> tuple[ApiKey, str]:
        from kefu.core.actors import Actor, Source

        return api_key_create(actor=Actor.system(), source=Source.IMPORT, user=user, name=name)
