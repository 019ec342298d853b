"""``python -m bench.sla``: what SLA timers add to a ticket write; what the escalation sweep costs.

    .venv/bin/python -m bench.sla                       # SQLite in a fresh KEFU_DATA_DIR
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_sla .venv/bin/python -m bench.sla

(the PostgreSQL database named in DATABASE_URL is dropped and created afresh; never point it at a
database you want to keep.)

- ``create``: ``ticket_create`` p50 / p95 in ms without SLA policies and with 5 policies in the
  department (4 with conditions that do not match, the last matching every ticket, targets for every
  priority in business hours on a 09:00–12:00 / 13:30–18:00 calendar with China's 2026 holidays, and 3
  escalation levels per target): the difference, and the SLA runner's own time per write (p50 / p95),
  which is what computing the due dates adds (the issue's target: at most 1 ms);
- ``compute``: the due-date computation alone, without its two writes (the policy matched in memory, two
  due dates on the calendar), p50 / p95 in ms;
- ``sweep``: one escalation sweep over ``--open`` open tickets with running timers, none due (the steady
  state every minute: one indexed query), and one with ``--due`` of them due to fire a level (a comment
  through the services each), in seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from typing import Any

from bench.automation import _create_many, _fresh_postgresql, _percentiles


def _setup() -> None:
    if "DATABASE_URL" in os.environ:
        _fresh_postgresql(os.environ["DATABASE_URL"])
    else:
        os.environ["KEFU_DATA_DIR"] = tempfile.mkdtemp(prefix="kefu-bench-sla-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _policies(department_id: int) -> None:
    from kefu.automation.actions import clean_actions
    from kefu.automation.criteria import clean
    from kefu.core.catalog_cache import catalog_changed
    from kefu.sla.models import (
        BusinessCalendar,
        CalendarHoliday,
        DepartmentCalendar,
        SlaEscalation,
        SlaPolicy,
        SlaTarget,
    )
    from kefu.tickets.models import Priority

    lunch = [[540, 720], [810, 1080]]
    calendar = BusinessCalendar.objects.create(name="北京工作时间", week=[lunch] * 5 + [[], []])
    CalendarHoliday.objects.bulk_create(
        CalendarHoliday(calendar=calendar, date=dt.date(2026, 10, day), name="国庆节") for day in range(1, 9)
    )
    DepartmentCalendar.objects.create(department_id=department_id, calendar=calendar)
    comment, errors = clean_actions([{"type": "comment", "body": "即将超时"}])
    assert not errors, errors
    for index in range(5):
        criteria, errors = clean(
            {"all": [{"field": "subject", "op": "contains", "value": f"型号{index}"}]} if index < 4 else {},
            allow_changes=False,
        )
        assert not errors, errors
        policy = SlaPolicy.objects.create(
            name=f"策略 {index}", department_id=department_id, order=index, criteria=criteria
        )
        SlaTarget.objects.bulk_create(
            SlaTarget(
                policy=policy,
                priority=priority,
                first_response_minutes=60 * (order + 1),
                next_response_minutes=120,
                resolution_minutes=240 * (order + 1),
            )
            for order, priority in enumerate(Priority.objects.order_by("order"))
        )
        SlaEscalation.objects.bulk_create(
            SlaEscalation(policy=policy, target=target, offset_minutes=offset, actions=comment)
            for target in ("first_response", "resolution")
            for offset in (-30, 0, 120)
        )
    catalog_changed()


def _timed_runner() -> list[float]:
    """Swap the SLA runner for one that records its own time per call."""
    from kefu.sla.services import timers
    from kefu.tickets.rules import register_rule_runner, unregister_rule_runner

    samples: list[float] = []

    def timed(change: Any) -> None:
        started = time.perf_counter()
        timers.on_ticket_change(change)
        samples.append(time.perf_counter() - started)

    unregister_rule_runner(timers.on_ticket_change)
    register_rule_runner(timed)
    return samples


def _compute(rounds: int) -> dict[str, float]:
    """The due-date computation alone (no query, no write): the policy matched in memory and the first
    response and resolution due dates counted on the business-hours calendar, for a ticket created now."""
    from django.utils import timezone

    from kefu.sla.selectors.policies import calendar_for
    from kefu.sla.services.timers import _due, matching_policy
    from kefu.tickets.models import Ticket

    ticket = Ticket.objects.select_related("status", "priority").order_by("-pk").first()
    assert ticket is not None
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        now = timezone.now()
        policy = matching_policy(ticket, now=now)
        assert policy is not None
        spec = policy.target_for(ticket.priority_id)
        assert spec is not None
        clock = calendar_for(business=spec.business, calendar_id=None, department_id=ticket.department_id)
        _due(clock, now, spec.first_response or 0)
        _due(clock, now, spec.resolution or 0)
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def _sweep(open_count: int, due: int, department_id: int, contact_id: int) -> tuple[float, float]:
    from django.utils import timezone

    from kefu.sla.models import SlaPolicy, SlaTimer
    from kefu.sla.services.escalations import escalations_sweep
    from kefu.tickets.models import Priority, Status, Ticket
    from kefu.tickets.services.numbering import next_ticket_number

    status = Status.objects.get(name="处理中")
    priority = Priority.objects.get(name="中")
    policy = SlaPolicy.objects.get(name="策略 4")
    now = timezone.now()
    batch = []
    for _index in range(open_count):
        batch.append(
            Ticket(
                number=next_ticket_number(),
                subject="批量工单",
                department_id=department_id,
                contact_id=contact_id,
                status=status,
                priority=priority,
                sla_policy_id=policy.pk,
                created_at=now - dt.timedelta(hours=1),
                updated_at=now - dt.timedelta(hours=1),
            )
        )
        if len(batch) == 5000:
            Ticket.objects.bulk_create(batch)
            batch = []
    Ticket.objects.bulk_create(batch)
    ids = list(Ticket.objects.filter(subject="批量工单").order_by("pk").values_list("pk", flat=True))
    later = now + dt.timedelta(days=2)
    timers = (
        SlaTimer(
            ticket_id=pk,
            target="resolution",
            policy=policy,
            minutes=720,
            started_at=now - dt.timedelta(hours=1),
            due_at=later,
            # The first ``due`` tickets' first level (30 minutes before the due date) has come.
            check_at=now - dt.timedelta(minutes=1) if index < due else later - dt.timedelta(minutes=30),
        )
        for index, pk in enumerate(ids)
    )
    SlaTimer.objects.bulk_create(timers, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Steady state: nothing due among them yet (the sweep sees the index and nothing else).
    SlaTimer.objects.filter(check_at__lte=now).update(check_at=now + dt.timedelta(hours=1))
    started = time.perf_counter()
    result = escalations_sweep(now=now)
    idle = time.perf_counter() - started
    assert result.checked == 0, result
    SlaTimer.objects.filter(ticket_id__in=ids[:due]).update(check_at=now - dt.timedelta(minutes=1))
    started = time.perf_counter()
    result = escalations_sweep(now=now)
    firing = time.perf_counter() - started
    assert result.checked == due, result
    return idle, firing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=300, help="tickets created per measurement")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--open", type=int, default=100_000, help="open tickets with running timers")
    parser.add_argument("--due", type=int, default=200, help="of them, how many fire a level")
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    from kefu.contacts.tests.factories import ContactFactory
    from kefu.org.tests.factories import DepartmentFactory

    department = DepartmentFactory(code="bench", name="售后服务", name_en="After-sales")
    contact = ContactFactory(name="王芳", email="wang.fang@example.cn")

    def rounds() -> list[dict[str, float]]:
        _create_many(30, department.pk, contact.pk)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return [
            _percentiles(_create_many(args.tickets, department.pk, contact.pk)) for _ in range(args.repeat)
        ]

    samples = _timed_runner()
    without = rounds()
    _policies(department.pk)
    samples.clear()
    with_policies = rounds()
    runner = _percentiles(samples[30:])
    compute = _compute(2000)
    idle, firing = _sweep(args.open, args.due, department.pk, contact.pk)

    def median(rounds: list[dict[str, float]], key: str) -> float:
        return statistics.median(round_[key] for round_ in rounds)

    result = {
        "database": connection.vendor,
        "tickets_per_round": args.tickets,
        "create_no_policy_ms": {"p50": median(without, "p50"), "p95": median(without, "p95")},
        "create_with_policies_ms": {"p50": median(with_policies, "p50"), "p95": median(with_policies, "p95")},
        "added_p95_ms": round(median(with_policies, "p95") - median(without, "p95"), 2),
        "sla_runner_per_create_ms": runner,
        "due_date_computation_ms": compute,
        "sweep_open_tickets": args.open,
        "sweep_idle_seconds": round(idle, 3),
        "sweep_due": args.due,
        "sweep_firing_seconds": round(firing, 3),
    }
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
