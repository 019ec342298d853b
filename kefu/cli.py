"""The ``kefu`` command: run the help desk and administer it from a shell.

``kefu run`` is the embedded mode: one command starts the web server and a Celery worker with beat on
the configured broker (by default a file-system broker under ``KEFU_DATA_DIR`` that needs no server),
and stops them all cleanly on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()


def worker_command(*, concurrency: int, loglevel: str = "INFO") -> list[str]:
    """The Celery worker with beat that ``kefu run`` starts (the job benchmark starts the same one)."""
    from django.conf import settings

    return [
        sys.executable, "-m", "celery", "-A", "kefu", "worker", "--beat", "--loglevel", loglevel,
        "--concurrency", str(concurrency), "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME,
    ]  # fmt: skip


def _run(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings

    from kefu.search.segmentation import warm_up

    warm_up()
    port = args.port or settings.PORT
    bind = f"{args.host}:{port}"
    python = sys.executable
    commands = {
        "web": [
            python, "-m", "gunicorn", "kefu.wsgi:application", "--bind", bind, "--workers", str(args.workers),
            "--threads", str(args.threads), "--worker-class", "gthread", "--access-logfile", "-",
            "--graceful-timeout", "20",
        ],
        "worker": worker_command(concurrency=args.concurrency),
    }  # fmt: skip
    children = {name: subprocess.Popen(command) for name, command in commands.items()}
    print(
        f"Kefu is serving http://{bind}/ (web pid {children['web'].pid}, worker pid {children['worker'].pid})"
    )

    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"kefu run: {name} exited with {child.returncode}; stopping", file=sys.stderr)
                exit_code = child.returncode or 1
                stopping = True
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return exit_code


def _manage(argv: Sequence[str]) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kefu", *argv])
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    """Migrate, then analyse: a migration may add the very indexes the statistics must describe."""
    _manage(["migrate", "--no-input"])
    from kefu.core.maintenance import database_optimize

    database_optimize(full=True)
    return 0


def _createadmin(args: argparse.Namespace) -> int:
    _setup_django()
    from kefu.core.errors import ServiceError
    from kefu.org.services import administrator_ensure

    try:
        agent = administrator_ensure(email=args.email, password=args.password, name=args.name)
    except ServiceError as exc:
        print(f"kefu createadmin: {exc.message} {exc.fields}", file=sys.stderr)
        return 2
    print(f"Administrator {agent.user.email} is ready.")
    return 0


def _apikey_create(args: argparse.Namespace) -> int:
    _setup_django()
    from kefu.core.actors import Actor, Source
    from kefu.core.errors import ServiceError
    from kefu.org.selectors import user_by_email
    from kefu.org.services import api_key_create

    user = user_by_email(args.email)
    if user is None:
        print(f"kefu apikey create: no user with email {args.email}", file=sys.stderr)
        return 2
    try:
        _key, secret = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=user, name=args.name)
    except ServiceError as exc:
        print(f"kefu apikey create: {exc.message}", file=sys.stderr)
        return 2
    print(secret)
    return 0


def _demo(args: argparse.Namespace) -> int:
    _setup_django()
    from kefu.demo.loader import load_demo

    summary = load_demo(tickets=args.tickets, stdout=sys.stdout)
    print(summary)
    return 0


def _search_reindex(args: argparse.Namespace) -> int:
    _setup_django()
    from kefu.search.services import search_reindex_all

    tickets, documents = search_reindex_all()
    print(f"Indexed {tickets} tickets and {documents} documents.")
    return 0


def _bench(args: argparse.Namespace) -> int:
    """Run the benchmark suite in ``bench/`` (a source checkout only: it is not part of the package)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    if not (root / "bench" / "main.py").is_file():
        print("kefu bench: needs a source checkout with the bench/ folder next to kefu/", file=sys.stderr)
        return 2
    sys.path.insert(0, str(root))
    from bench.main import main as bench_main

    return bench_main(args.arguments)


def _mail(args: argparse.Namespace) -> int:
    """Hand ``kefu mail …`` to the email channel, which owns its commands and their arguments."""
    from kefu.channels.email.commands import main as mail_main
    from kefu.channels.email.commands import needs_django

    if needs_django(args.arguments):
        _setup_django()
    return mail_main(args.arguments)


def _transfer(args: argparse.Namespace) -> int:
    """Hand ``kefu import …`` and ``kefu export …`` to the import/export app, which owns their arguments."""
    _setup_django()
    from kefu.transfer.commands import main as transfer_main

    return transfer_main(args.command, args.arguments)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="Kefu help desk")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="serve the help desk with its worker and scheduler")
    run.add_argument("--host", default=os.environ.get("KEFU_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=None, help="default: KEFU_PORT or 8000")
    run.add_argument("--workers", type=int, default=int(os.environ.get("KEFU_WEB_WORKERS", "2")))
    run.add_argument("--threads", type=int, default=int(os.environ.get("KEFU_WEB_THREADS", "12")))
    run.add_argument("--concurrency", type=int, default=int(os.environ.get("KEFU_WORKER_CONCURRENCY", "2")))
    run.set_defaults(handler=_run)

    commands.add_parser("migrate", help="create or upgrade the database").set_defaults(handler=_migrate)

    demo = commands.add_parser("demo", help="load the demo help desk (idempotent)")
    demo.add_argument("--tickets", type=int, default=2000)
    demo.set_defaults(handler=_demo)

    admin = commands.add_parser("createadmin", help="create or reset an administrator")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password", required=True)
    admin.add_argument("--name", default="")
    admin.set_defaults(handler=_createadmin)

    apikey = commands.add_parser("apikey", help="manage API keys")
    apikey_commands = apikey.add_subparsers(dest="apikey_command", required=True)
    apikey_create = apikey_commands.add_parser("create", help="create a key and print it once")
    apikey_create.add_argument("--email", required=True)
    apikey_create.add_argument("--name", default="CLI")
    apikey_create.set_defaults(handler=_apikey_create)

    search = commands.add_parser("search", help="full-text index maintenance")
    search_commands = search.add_subparsers(dest="search_command", required=True)
    search_commands.add_parser("reindex", help="rebuild the index of every ticket").set_defaults(
        handler=_search_reindex
    )

    bench = commands.add_parser("bench", help="seed and measure a benchmark help desk (BENCHMARKS.md)")
    bench.add_argument("arguments", nargs=argparse.REMAINDER, help="seed … | run … (kefu bench seed --help)")
    bench.set_defaults(handler=_bench)

    mail = commands.add_parser("mail", help="email channel: ingest | smtpd | poll (kefu mail --help)")
    mail.add_argument("arguments", nargs=argparse.REMAINDER, help="ingest … | smtpd … | poll …")
    mail.set_defaults(handler=_mail)

    for name, help_text in (
        (
            "import",
            "import contacts|accounts|tickets|articles|records|zendesk|zoho FILE (kefu import --help)",
        ),
        ("export", "export the whole installation as a ZIP archive (kefu export --help)"),
    ):
        transfer = commands.add_parser(name, help=help_text, add_help=False)
        transfer.add_argument("arguments", nargs=argparse.REMAINDER)
        transfer.set_defaults(handler=_transfer)

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=lambda args: _manage(args.arguments))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # A command that owns its arguments (``arguments``) also gets those argparse took for options of its
    # own, such as ``kefu import --help``.
    args, extra = parser.parse_known_args(argv)
    if extra:
        if not isinstance(getattr(args, "arguments", None), list):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.arguments = [*extra, *args.arguments]
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
