"""The per-process catalogue cache: fewer queries, and every change is seen, in this process at once
and in another process by its next request or task (simulated here: the other process changes rows and
bumps the version exactly as its save signals do, without this process hearing the signal)."""

from __future__ import annotations

import pytest
from celery.signals import task_prerun
from django.db import transaction
from django.db.models import F

from kefu.core import catalog_cache
from kefu.core.actors import Actor, Source
from kefu.core.models import CatalogVersion
from kefu.customfields.models import CustomField
from kefu.customfields.selectors import field_specs
from kefu.customfields.services import custom_field_create
from kefu.customfields.validation import FieldSpec
from kefu.org.models import Agent, User
from kefu.org.selectors import agent_access, helpdesk_settings
from kefu.org.services.helpdesk import helpdesk_settings_update
from kefu.tickets.models import Priority, Status
from kefu.tickets.selectors import priority_lookup, status_lookup
from kefu.tickets.services import status_update


def another_process_bumps_the_version() -> None:
    if not CatalogVersion.objects.filter(pk=1).update(version=F("version") + 1):
        CatalogVersion.objects.create(pk=1, version=1)


@pytest.fixture
def admin(admin_agent):
    return Actor.agent(admin_agent.user)


@pytest.mark.django_db
def test_lookups_are_answered_from_the_cache_after_the_first(django_assert_num_queries):
    default = status_lookup(None)
    priority = priority_lookup(None)
    with django_assert_num_queries(0):
        assert status_lookup(None) == default
        assert status_lookup(default.pk) == default
        assert status_lookup(default.name_en.upper()) == default
        assert priority_lookup(priority.pk) == priority
        assert status_lookup(10**9) is None
        assert priority_lookup("no such priority") is None


@pytest.mark.django_db
def test_callers_get_their_own_copy():
    status = status_lookup(None)
    status.name = "changed by a caller"
    assert status_lookup(None).name != "changed by a caller"


def a_request(client):
    assert client.get("/healthz").status_code == 200


def a_task(client):
    task_prerun.send(sender=None)


@pytest.mark.django_db
@pytest.mark.parametrize("begin", [a_request, a_task])
def test_a_status_renamed_by_another_process_is_seen_by_the_next_request_or_task(begin, client):
    status = status_lookup(None)
    Status.objects.filter(pk=status.pk).update(name_en="Renamed elsewhere")
    another_process_bumps_the_version()
    begin(client)
    assert status_lookup(None).name_en == "Renamed elsewhere"
    assert status_lookup("renamed ELSEWHERE").pk == status.pk


@pytest.mark.django_db
def test_without_a_new_request_the_version_is_read_again_after_the_recheck_interval(monkeypatch):
    status = status_lookup(None)
    Status.objects.filter(pk=status.pk).update(is_active=False)
    another_process_bumps_the_version()
    monkeypatch.setattr(catalog_cache, "RECHECK_SECONDS", 0.0)
    assert status_lookup(status.pk) is None


@pytest.mark.django_db
def test_a_custom_field_added_by_another_process_is_seen_by_the_next_request(department, client):
    assert field_specs("ticket", department_id=department.pk) == []
    CustomField.objects.bulk_create(
        [CustomField(module="ticket", key="serial", name="序列号", field_type="text")]
    )
    another_process_bumps_the_version()
    a_request(client)
    assert field_specs("ticket", department_id=department.pk) == [
        FieldSpec(key="serial", field_type="text", choices=(), is_required=False)
    ]


@pytest.mark.django_db
def test_changes_in_this_process_are_seen_at_once(admin, department):
    default = status_lookup(None)
    priority = priority_lookup(None)
    field_specs("ticket", department_id=department.pk)
    prefix = helpdesk_settings().ticket_number_prefix
    status_update(
        actor=admin,
        source=Source.WEB,
        status_id=default.pk,
        name=default.name,
        name_en="Brand new",
        status_type=default.status_type,
        order=default.order,
        is_default=True,
    )
    Priority.objects.filter(pk=priority.pk).delete()
    custom_field_create(
        actor=admin, source=Source.WEB, module="ticket", key="sku", field_type="text", name="SKU"
    )
    settings_now = helpdesk_settings()
    helpdesk_settings_update(
        actor=admin,
        source=Source.WEB,
        ticket_number_prefix=prefix + "X",
        time_zone=settings_now.time_zone,
        default_language=settings_now.default_language,
    )
    assert status_lookup(None).name_en == "Brand new"
    assert priority_lookup(priority.pk) is None
    assert [spec.key for spec in field_specs("ticket", department_id=department.pk)] == ["sku"]
    assert helpdesk_settings().ticket_number_prefix == prefix + "X"


@pytest.mark.django_db
def test_a_rolled_back_change_is_never_served(admin):
    default = status_lookup(None)
    seen_inside: list[str] = []

    def rename_then_fail() -> None:
        with transaction.atomic():
            Status.objects.filter(pk=default.pk).update(name_en="Never committed")
            catalog_cache.catalog_changed()
            seen_inside.append(status_lookup(None).name_en)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rename_then_fail()
    assert seen_inside == ["Never committed"]
    assert status_lookup(None).name_en == default.name_en


def _access(user):
    """The access of a freshly loaded user (the answer is also kept on the user object of a request)."""
    return agent_access(User.objects.get(pk=user.pk))


@pytest.mark.django_db
def test_department_membership_added_by_another_process_is_seen_by_the_next_request(
    agent, other_department, client
):
    catalog_cache.forget()  # the fixtures' rows count as committed
    assert not _access(agent.user).can_see_department(other_department.pk)
    Agent.departments.through.objects.bulk_create(
        [Agent.departments.through(agent_id=agent.pk, department_id=other_department.pk)]
    )
    another_process_bumps_the_version()
    a_request(client)
    assert _access(agent.user).can_see_department(other_department.pk)


@pytest.mark.django_db
def test_department_membership_changed_in_this_process_is_seen_at_once(agent, other_department):
    catalog_cache.forget()
    assert not _access(agent.user).can_see_department(other_department.pk)
    agent.departments.add(other_department)
    assert _access(agent.user).can_see_department(other_department.pk)


@pytest.mark.django_db
def test_an_agents_profile_change_keeps_the_catalogue(agent):
    another_process_bumps_the_version()
    before = CatalogVersion.objects.get(pk=1).version
    agent.signature = "祝好"
    agent.save(update_fields=["signature"])
    assert CatalogVersion.objects.get(pk=1).version == before
    agent.save()
    assert CatalogVersion.objects.get(pk=1).version == before + 1
