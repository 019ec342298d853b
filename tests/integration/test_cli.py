"""The ``kefu`` command as an administrator uses it, on a fresh embedded installation."""

from __future__ import annotations

import signal
import subprocess
import time

import httpx
import psutil

from tests.integration.conftest import KEFU, embedded_env, free_port, kefu, wait_until_healthy


def test_createadmin_is_repeatable_and_rejects_bad_input(installation):
    first = kefu("createadmin", "--email", "Boss@Example.cn", "--password", "s3cret-pass", env=installation)
    again = kefu("createadmin", "--email", "boss@example.cn", "--password", "an0ther-pass", env=installation)
    assert (first.returncode, again.returncode) == (0, 0)
    assert "boss@example.cn" in first.stdout

    bad = kefu("createadmin", "--email", "not-an-email", "--password", "short", env=installation)
    assert bad.returncode == 2
    assert "email" in bad.stderr
    assert "password" in bad.stderr


def test_apikey_create_prints_a_key_only_for_known_users(installation):
    kefu("createadmin", "--email", "boss@example.cn", "--password", "s3cret-pass", env=installation)
    created = kefu("apikey", "create", "--email", "BOSS@example.cn", env=installation)
    assert created.returncode == 0
    assert created.stdout.startswith("kefu_")

    unknown = kefu("apikey", "create", "--email", "nobody@example.cn", env=installation)
    assert unknown.returncode == 2
    assert "no user" in unknown.stderr


def test_run_serves_the_api_processes_jobs_in_its_worker_and_stops_on_sigterm(installation):
    assert kefu("demo", "--tickets", "3", env=installation).returncode == 0
    secret = kefu("apikey", "create", "--email", "admin@kefu.local", env=installation).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*KEFU, "run", "--port", str(port), "--workers", "1"], env=installation)
    try:
        wait_until_healthy(base, server)
        children = psutil.Process(server.pid).children(recursive=True)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}"}, timeout=10) as client:
            department_id = client.get("/api/v1/departments").json()[0]["id"]
            created = client.post(
                "/api/v1/tickets",
                json={
                    "subject": "Quokka 发票抬头错误",
                    "description": "发票抬头写错了。",
                    "department_id": department_id,
                    "contact": {"email": "a@example.cn"},
                },
            )
            assert created.status_code == 201
            # The search index is written by the worker, after commit: the outbox relay goes through the
            # file-system broker.
            found: list[dict] = []
            deadline = time.monotonic() + 60
            while not found and time.monotonic() < deadline:
                found = client.get("/api/v1/tickets", params={"q": "quokka"}).json()["items"]
                time.sleep(0.5)
            assert [ticket["id"] for ticket in found] == [created.json()["id"]]
    finally:
        server.send_signal(signal.SIGTERM)
        exit_code = server.wait(timeout=40)
    assert exit_code == 0
    time.sleep(0.5)
    assert [
        child.pid for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    ] == []


def test_demo_is_idempotent(installation):
    first = kefu("demo", "--tickets", "5", env=installation)
    second = kefu("demo", "--tickets", "5", env=installation)
    assert (first.returncode, second.returncode) == (0, 0)
    for output in (first.stdout, second.stdout):
        assert "5 tickets (5 indexed), 200 contacts, 40 accounts" in output


def test_production_mode_refuses_the_default_secret(tmp_path):
    env = embedded_env(tmp_path, KEFU_PRODUCTION="true")
    env.pop("KEFU_SECRET_KEY", None)
    refused = kefu("migrate", env=env)
    assert refused.returncode != 0
    assert "set KEFU_SECRET_KEY" in refused.stderr

    env["KEFU_SECRET_KEY"] = "a-long-random-production-secret-for-this-test-only"
    assert kefu("migrate", env=env).returncode == 0


def test_any_process_can_queue_jobs_on_the_embedded_broker(tmp_path):
    """A web process started without `kefu run` (gunicorn alone) must still be able to publish."""
    env = embedded_env(tmp_path / "fresh")
    queued = kefu("manage", "shell", "-c", "from kefu.celery import ping; ping.delay()", env=env)
    assert queued.returncode == 0, queued.stderr
    assert len(list((tmp_path / "fresh" / "broker" / "queue").iterdir())) == 1
