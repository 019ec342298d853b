"""``python -m bench.automation``: what workflow rules add to ticket creation; what a time-rule sweep costs.

    .venv/bin/python -m bench.automation                       # SQLite in a fresh KEFU_DATA_DIR
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_automation .venv/bin/python -m bench.automation

(the PostgreSQL database named in DATABASE_URL is dropped and created afresh, so that the migrations seed
the statuses and priorities a new installation has; never point it at a database you want to keep.)

Each number is the median of ``--repeat`` rounds:

- ``create``: ``ticket_create`` (through the services, as an email intake would) p50 / p95 in ms
  1. with no rule;
  2. with 200 enabled workflow rules — 120 on ``created`` (conditions on subject, priority, tags), 80 on
     the other triggers — and 20 round-robin assignment rules, none of which matches the new tickets: what
     evaluating the rules costs (the issue's target: at most 3 ms more at p95);
  3. the same plus 3 rules that match every ticket (set the priority, add a tag, assign a team): each is a
     change-set of its own (lock, events, audit, outbox, the rules it triggers in turn), so this adds what
     three agent edits would cost;
- ``sweep``: one time-rule sweep ("open, created more than 72 hours ago, no agent reply") over ``--open``
  open tickets that all match and whose episodes already fired in an earlier sweep (the steady state: the
  sweep selects them all and fires none), in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from typing import Any


def _fresh_postgresql(url: str) -> None:
    """Drop and create the database ``url`` names (from the server's maintenance database)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as maintenance:
        maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _setup() -> None:
    if "DATABASE_URL" in os.environ:
        _fresh_postgresql(os.environ["DATABASE_URL"])
    else:
        os.environ["KEFU_DATA_DIR"] = tempfile.mkdtemp(prefix="kefu-bench-automation-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered) * 1000, 2),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
    }


def _create_many(count: int, department_id: int, contact_id: int) -> list[float]:
    from kefu.core.actors import Actor, Source
    from kefu.tickets.inputs import ContactRef, TicketCreateInput
    from kefu.tickets.services import ticket_create

    subjects = [
        "打印机无法连接网络",
        "手机发热严重",
        "Invoice address is wrong",
        "退款未到账",
        "固件升级失败",
    ]
    samples = []
    for index in range(count):
        started = time.perf_counter()
        ticket_create(
            actor=Actor.system(),
            source=Source.EMAIL,
            data=TicketCreateInput(
                subject=subjects[index % len(subjects)],
                description="按照说明书操作后仍然不行。",
                department_id=department_id,
                contact=ContactRef(contact_id=contact_id),
                channel="email",
            ),
        )
        samples.append(time.perf_counter() - started)
    return samples


ACTING = (5, 60, 110)


def _rules(department_id: int, team_id: int, agent_ids: list[int]) -> None:
    """200 workflow rules (the 3 ``ACTING`` ones disabled, see ``_enable_acting``) and 20 assignment rules."""
    from kefu.automation.criteria import clean
    from kefu.automation.models import AssignmentRule, AssignmentRuleAgent, Trigger, WorkflowRule

    other = [t for t in Trigger.values if t != Trigger.CREATED]
    rows = []
    for index in range(200):
        trigger = Trigger.CREATED if index < 120 else other[index % len(other)]
        matches_all = index in ACTING
        if matches_all:
            criteria = {"all": [{"field": "channel", "op": "is", "value": "email"}]}
            actions = [
                [{"type": "set_field", "field": "priority", "value": "高"}],
                [{"type": "add_tags", "tags": ["自动"]}],
                [{"type": "assign", "team_id": team_id}],
            ][ACTING.index(index)]
        else:
            criteria = {
                "all": [
                    {"field": "subject", "op": "contains", "value": f"型号{index}"},
                    {"any": [
                        {"field": "priority", "op": "is", "value": "紧急"},
                        {"field": "tags", "op": "contains", "value": f"标签{index}"},
                    ]},
                ]
            }  # fmt: skip
            actions = [{"type": "add_tags", "tags": [f"规则{index}"]}]
        cleaned, errors = clean(criteria)
        assert not errors, errors
        rows.append(
            WorkflowRule(
                name=f"规则 {index}",
                department_id=department_id if index % 2 else None,
                enabled=not matches_all,
                order=index,
                trigger=trigger,
                criteria=cleaned,
                actions=_cleaned_actions(actions),
            )
        )
    WorkflowRule.objects.bulk_create(rows)
    for index in range(20):
        criteria, errors = clean({"all": [{"field": "subject", "op": "contains", "value": f"产品线{index}"}]})
        assert not errors, errors
        rule = AssignmentRule.objects.create(
            name=f"分配 {index}",
            department_id=department_id,
            order=index,
            criteria=criteria,
            type=AssignmentRule.Type.ROUND_ROBIN,
        )
        AssignmentRuleAgent.objects.bulk_create(
            AssignmentRuleAgent(rule=rule, user_id=user_id, position=position)
            for position, user_id in enumerate(agent_ids)
        )
    from kefu.core.catalog_cache import catalog_changed

    catalog_changed()


def _enable_acting() -> None:
    from kefu.automation.models import WorkflowRule
    from kefu.core.catalog_cache import catalog_changed

    WorkflowRule.objects.filter(name__in=[f"规则 {index}" for index in ACTING]).update(enabled=True)
    catalog_changed()


def _cleaned_actions(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from kefu.automation.actions import clean_actions

    cleaned, errors = clean_actions(actions)
    assert not errors, errors
    return cleaned


def _sweep(open_count: int, department_id: int, contact_id: int) -> float:
    import datetime as dt

    from django.utils import timezone

    from kefu.automation.criteria import clean
    from kefu.automation.models import TimeRule, TimeRuleEpisode
    from kefu.automation.workflow.sweep import time_rules_sweep
    from kefu.tickets.models import Priority, Status, Ticket
    from kefu.tickets.services.numbering import next_ticket_number

    status = Status.objects.get(name="新建")
    priority = Priority.objects.get(name="中")
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
                created_at=now - dt.timedelta(hours=100),
                updated_at=now - dt.timedelta(hours=100),
            )
        )
        if len(batch) == 2000:
            Ticket.objects.bulk_create(batch)
            batch = []
    Ticket.objects.bulk_create(batch)
    criteria, errors = clean(
        {"all": [
            {"field": "status_type", "op": "is", "value": "open"},
            {"field": "hours_since_created", "op": "gt", "value": 72},
            {"field": "hours_since_agent_reply", "op": "is_empty"},
        ]},
        allow_changes=False,
    )  # fmt: skip
    assert not errors, errors
    rule = TimeRule.objects.create(
        name="72 小时无回复",
        enabled=True,
        criteria=criteria,
        actions=[{"type": "add_tags", "tags": ["超时"]}],
    )
    # An earlier sweep opened and fired an episode for every one of them (firing 100,000 rules through the
    # services is not what is measured here).
    fired = now - dt.timedelta(minutes=5)
    open_ids = Ticket.objects.filter(subject="批量工单").values_list("pk", flat=True)
    TimeRuleEpisode.objects.bulk_create(
        (
            TimeRuleEpisode(rule=rule, ticket_id=pk, started_at=fired, fired_at=fired)
            for pk in open_ids.iterator()
        ),
        batch_size=5000,
    )
    started = time.perf_counter()
    time_rules_sweep(now=now + dt.timedelta(minutes=5))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=300, help="tickets created per measurement")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--open", type=int, default=10_000, help="open tickets for the sweep")
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    from kefu.contacts.tests.factories import ContactFactory
    from kefu.org.tests.factories import AgentFactory, DepartmentFactory, TeamFactory

    department = DepartmentFactory(code="bench", name="售后服务", name_en="After-sales")
    team = TeamFactory(department=department, name="换货组")
    contact = ContactFactory(name="王芳", email="wang.fang@example.cn")
    agents = [AgentFactory(departments=[department]) for _ in range(5)]

    def rounds() -> list[dict[str, float]]:
        _create_many(30, department.pk, contact.pk)  # warm-up: jieba, caches, the planner
        # Planner statistics, as autovacuum (PostgreSQL) or the daily optimise (SQLite) keep them: without
        # them PostgreSQL spends ~18 ms planning each eleven-table ticket read of a fresh database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return [
            _percentiles(_create_many(args.tickets, department.pk, contact.pk)) for _ in range(args.repeat)
        ]

    without = rounds()
    _rules(department.pk, team.pk, [agent.user_id for agent in agents])
    evaluating = rounds()
    _enable_acting()
    acting = rounds()
    sweep = _sweep(args.open, department.pk, contact.pk)

    def median(rounds: list[dict[str, float]], key: str) -> float:
        return statistics.median(round_[key] for round_ in rounds)

    def summary(rounds: list[dict[str, float]]) -> dict[str, float]:
        return {"p50": median(rounds, "p50"), "p95": median(rounds, "p95")}

    result = {
        "database": connection.vendor,
        "tickets_per_round": args.tickets,
        "create_no_rules_ms": summary(without),
        "create_220_rules_none_matching_ms": summary(evaluating),
        "added_p95_ms_evaluating": round(median(evaluating, "p95") - median(without, "p95"), 2),
        "create_with_3_acting_rules_ms": summary(acting),
        "added_p95_ms_acting": round(median(acting, "p95") - median(without, "p95"), 2),
        "sweep_open_tickets": args.open,
        "sweep_seconds": round(sweep, 3),
    }
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
