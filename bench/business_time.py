"""``python -m bench.business_time``: how long ``WorkingTime.due`` and ``elapsed`` take over a one-year span.

    .venv/bin/python -m bench.business_time [--starts 300] [--repeat 5]

Pure arithmetic, no database: the calendar is the demo's (09:00–12:00 and 13:30–18:00, Monday to Friday)
with China's 2026 and 2027 holidays and make-up workdays from the ``holidays`` package, in Asia/Shanghai,
Europe/Berlin and America/New_York (the last two cross two DST changes a year). For each zone, ``--starts``
start instants spread over 2026 (seeded); for each, ``elapsed(start, start + 365 days)`` and
``due(start, <that many minutes>)`` — so every ``due`` also walks a whole year — each timed ``--repeat``
times, keeping the fastest (the machine is shared; the fastest run is the code's cost, the others add the
neighbours'). Prints p50 / p95 / max in milliseconds as JSON. Target (issue 11): ≤ 1 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from kefu.sla.calendar import WorkingTime
from kefu.sla.cn_holidays import cn_year

ZONES = ("Asia/Shanghai", "Europe/Berlin", "America/New_York")
LUNCH_BREAK = ((540, 720), (810, 1080))


def calendar(zone: str) -> WorkingTime:
    holidays: set[dt.date] = set()
    workdays: dict[dt.date, int] = {}
    for year in (2026, 2027):
        data = cn_year(year)
        holidays.update(day.date for day in data.holidays)
        workdays.update((day.date, day.hours_like) for day in data.workdays)
    return WorkingTime(zone, (LUNCH_BREAK,) * 5 + ((), ()), frozenset(holidays), workdays)


def _fastest(repeat: int, call) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - began)
    return best * 1000


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 4),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1], 4),
        "max": round(ordered[-1], 4),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--starts", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(20261207)
    results = {}
    for zone in ZONES:
        working = calendar(zone)
        tz = ZoneInfo(zone)
        starts = [
            dt.datetime(2026, 1, 1, tzinfo=tz) + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
            for _ in range(args.starts)
        ]
        due_ms, elapsed_ms = [], []
        for start in starts:
            end = start + dt.timedelta(days=365)
            minutes = working.elapsed(start, end)
            elapsed_ms.append(_fastest(args.repeat, lambda w=working, s=start, e=end: w.elapsed(s, e)))
            due_ms.append(_fastest(args.repeat, lambda w=working, s=start, m=minutes: w.due(s, m)))
        results[zone] = {"due": _summary(due_ms), "elapsed": _summary(elapsed_ms)}
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
