"""``kefu bench`` / ``python -m bench``: seed a benchmark help desk, then measure it over HTTP.

    kefu bench seed --tickets 100000                 # SQLite file under bench/results/
    kefu bench run --runs 3                          # prints JSON, saves bench/results/<…>.json
    DATABASE_URL=postgres://postgres@127.0.0.1/kefu_bench kefu bench seed --tickets 1000000

The environment is set here, before Django starts, so that the benchmark never touches the developer's
own data: ``KEFU_DATA_DIR`` is a fresh temporary directory (jieba cache, file-system broker, server
log), removed at the end, and without ``DATABASE_URL``/``--database-url`` the database is a SQLite file
in ``bench/results/`` (git-ignored). A PostgreSQL database must be created beforehand; ``seed`` refuses
a database that already has tickets and ``run`` refuses one that ``seed`` did not fill.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.console import register as register_console
from bench.helpcenter import register as register_helpcenter
from bench.search import register as register_search
from bench.transfer import register as register_transfer

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_SQLITE = RESULTS_DIR / "kefu-bench.sqlite3"


def _configure(args: argparse.Namespace, data_dir: Path) -> dict[str, str]:
    """Point Kefu at the bench database and the temporary data directory; return the server's env."""
    url = args.database_url or os.environ.get("DATABASE_URL")
    if not url:
        path = Path(args.sqlite_path).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    for folder in ("broker/queue", "broker/processed"):
        (data_dir / folder).mkdir(parents=True, exist_ok=True)
    env = {
        "DATABASE_URL": url,
        "KEFU_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "kefu.settings",
        "KEFU_LOG_LEVEL": os.environ.get("KEFU_LOG_LEVEL", "WARNING"),
    }
    os.environ.update(env)
    import django

    django.setup()
    return {**os.environ, **env}


def _save(kind: str, report: dict[str, Any]) -> Path:
    from django.db import connection

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = report.get("date", "").replace(":", "").replace("-", "")[:15] or "now"
    tickets = report.get("database", {}).get("tickets") or report.get("tickets", 0)
    path = RESULTS_DIR / f"{kind}-{connection.vendor}-{tickets}-{stamp}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return path


def _seed(args: argparse.Namespace, data_dir: Path) -> int:
    _configure(args, data_dir)
    import datetime as dt

    from bench.seed import SeedOptions, report_json, seed

    options = SeedOptions(tickets=args.tickets, batch_size=args.batch_size, days=args.days, seed=args.seed)
    report = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **report_json(seed(options))}
    report["saved_to"] = str(_save("seed", report))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _run(args: argparse.Namespace, data_dir: Path) -> int:
    server_env = _configure(args, data_dir)
    from bench.run import RunOptions, benchmark

    options = RunOptions(
        runs=args.runs,
        creates=args.creates,
        lists=args.lists,
        deep_pages=args.deep_pages,
        deep_repeats=args.deep_repeats,
        details=args.details,
        searches_per_term=args.searches_per_term,
        scenario_seconds=args.scenario_seconds,
        quiet_pct=args.quiet_pct,
        quiet_wait=args.quiet_wait,
        analyze=args.analyze,
        workers=args.workers,
        threads=args.threads,
    )
    report = benchmark(options, server_env=server_env, log_dir=data_dir, terms=args.term or None)
    report["saved_to"] = str(_save("run", report))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu bench", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def database_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--database-url", default=None, help="default: $DATABASE_URL, else --sqlite-path"
        )
        command.add_argument("--sqlite-path", default=str(DEFAULT_SQLITE))

    seed = commands.add_parser("seed", help="migrate an empty database and fill it with tickets in bulk")
    database_options(seed)
    seed.add_argument("--tickets", type=int, default=100_000)
    seed.add_argument("--batch-size", type=int, default=5_000)
    seed.add_argument("--days", type=int, default=730, help="spread creation times over this many days")
    seed.add_argument("--seed", type=int, default=20261122)
    seed.set_defaults(handler=_seed)

    run = commands.add_parser("run", help="measure the REST API of a seeded database over HTTP")
    database_options(run)
    run.add_argument("--runs", type=int, default=3)
    run.add_argument("--creates", type=int, default=300)
    run.add_argument("--lists", type=int, default=200)
    run.add_argument("--deep-pages", type=int, default=200, help="pages of 25 walked through the cursor")
    run.add_argument("--deep-repeats", type=int, default=100)
    run.add_argument("--details", type=int, default=100)
    run.add_argument("--searches-per-term", type=int, default=25)
    run.add_argument("--scenario-seconds", type=float, default=180.0, help="time budget of each scenario")
    run.add_argument("--quiet-pct", type=float, default=25.0, help="start a run when the CPU is this idle…")
    run.add_argument("--quiet-wait", type=float, default=600.0, help="…or after waiting this many seconds")
    run.add_argument("--analyze", action="store_true", help="run ANALYZE first (SQLite: creates statistics)")
    run.add_argument("--workers", type=int, default=2)
    run.add_argument("--threads", type=int, default=4)
    run.add_argument("--term", action="append", help="search term (repeatable); default: a built-in mix")
    run.set_defaults(handler=_run)
    register_console(commands, database_options)
    register_search(commands, database_options)
    register_helpcenter(commands, database_options)
    register_transfer(commands, database_options)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
    try:
        return int(args.handler(args, data_dir))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
