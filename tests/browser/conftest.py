"""Playwright fixtures for the browser tests: Debian's chromium, a live server, a seeded help desk.

Every flow runs once per console language (``lang``: zh-Hans and English) and asserts on the visible
text of that language, which proves the catalogs are wired. Nothing here skips: without chromium the
tests fail, because the issue's "done" depends on them running.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from kefu.contacts.models import Contact
from kefu.contacts.tests.factories import ContactFactory
from kefu.core.actors import Actor, Source
from kefu.org.models import Agent, Department
from kefu.org.tests.factories import PASSWORD, AgentFactory, DepartmentFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_create
from tests.browser.helpers import sign_in_as
from tests.browser.texts import Texts, texts_for

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LANGUAGES = ["zh-hans", "en"]
BROWSER_LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}
# The machine is shared by several test runs; a swap waits for the answer, never for a fixed time.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Let the tests use the ORM while Playwright's sync API is active.

    Playwright's sync API drives its own asyncio event loop in the test's thread, so Django sees a
    "running event loop" there and refuses ORM calls (SynchronousOnlyOperation). The tests' ORM calls
    are plain synchronous code that never runs inside that loop, so the guard is a false alarm here.
    The variable is process-wide, so it is set only while this package's tests run and restored
    after them.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def _compiled_catalogs() -> None:
    """Compile the catalogs when a .po is newer than its .mo (``./scripts/test`` does this too).

    The .mo files are build output (git-ignored); without them every page would read English.
    """
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt is missing: install gettext (./scripts/test does).")
    for po in (REPO / "kefu" / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


@pytest.fixture
def browser(_orm_beside_playwright, _compiled_catalogs) -> Iterator[Browser]:
    """A browser per test, started after the test database was prepared.

    Playwright's sync API runs an event loop in this thread, and Django keeps its connections in
    context-local storage: once the loop runs, the test sees a fresh connection object that lacks
    the snapshot ``serialized_rollback`` restores from. Started per test, the browser comes up after
    pytest-django has restored the migrations' rows (roles, statuses) with the original connection.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (./scripts/test does).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # The connections the test opened belong to Playwright's context: close them here, or PostgreSQL
        # refuses to drop the test database at the end of the run ("being accessed by other users").
        connections.close_all()


@pytest.fixture(params=LANGUAGES)
def lang(request) -> str:
    return request.param


@pytest.fixture
def text(lang) -> Texts:
    """The visible words of the console in the language under test."""
    return texts_for(lang)


@dataclass
class Desk:
    """The help desk every flow starts from."""

    department: Department
    other_department: Department
    agent: Agent
    colleague: Agent
    other_agent: Agent
    admin: Agent
    contact: Contact
    tickets: list[Ticket]
    """Open tickets of ``department``: the first two assigned to ``agent`` (the first one of high
    priority), the other three unassigned."""
    password: str = PASSWORD


@pytest.fixture
def desk(lang) -> Desk:
    """Two departments, agents in each, an administrator, contacts and five open tickets in A.

    Every agent reads the language under test, so the console shows it whether it follows the
    language cookie or the agent's profile.
    """
    department = DepartmentFactory(code="after-sales", name="售后服务", name_en="After-sales")
    other_department = DepartmentFactory(code="billing", name="财务", name_en="Billing")
    agent = AgentFactory(
        user__email="zhang.wei@kefu.test", user__name="张伟", language=lang, departments=[department]
    )
    colleague = AgentFactory(
        user__email="li.na@kefu.test", user__name="李娜", language=lang, departments=[department]
    )
    other_agent = AgentFactory(
        user__email="yang.lei@kefu.test", user__name="杨磊", language=lang, departments=[other_department]
    )
    admin = AgentFactory(
        user__email="admin@kefu.test", user__name="管理员", language=lang, role_key="administrator"
    )
    contact = ContactFactory(name="王芳", email="wang.fang@example.cn")
    ContactFactory(name="陈静", email="chen.jing@example.cn")
    subjects = [
        ("打印机无法连接网络", agent, "高"),
        ("发票抬头开错了", agent, None),
        ("退款未到账", None, None),
        ("固件升级失败", None, None),
        ("扫码枪无法识别条码", None, None),
    ]
    tickets = [
        ticket_create(
            actor=Actor.system(),
            source=Source.IMPORT,
            data=TicketCreateInput(
                subject=subject,
                description="按照说明书操作后仍然不行。",
                department_id=department.pk,
                contact=ContactRef(contact_id=contact.pk),
                assignee_id=assignee.user_id if assignee else None,
                priority=priority,
            ),
        )
        for subject, assignee, priority in subjects
    ]
    return Desk(
        department=department,
        other_department=other_department,
        agent=agent,
        colleague=colleague,
        other_agent=other_agent,
        admin=admin,
        contact=contact,
        tickets=tickets,
    )


@pytest.fixture
def live_stream(monkeypatch) -> Iterator[None]:
    """The live-updates stream for a test that needs it, short-lived and waited for at the end.

    A stream's server thread keeps polling the database until its next write fails or its minute is
    up, long after the tab closed; here each stream lasts 3 s (EventSource reconnects by itself) and
    the fixture waits until every stream has ended before the database is torn down.
    """
    from kefu.tickets.views import stream

    running = [0]
    ended = threading.Condition()
    events = stream._events

    def counted(*args, **kwargs):
        with ended:
            running[0] += 1
        try:
            yield from events(*args, **kwargs)
        finally:
            with ended:
                running[0] -= 1
                ended.notify_all()

    monkeypatch.setattr(stream, "DURATION_SECONDS", 3.0)
    monkeypatch.setattr(stream, "POLL_SECONDS", 0.5)
    monkeypatch.setattr(stream, "_events", counted)
    yield
    with ended:
        assert ended.wait_for(lambda: running[0] == 0, timeout=30), "a live-updates stream did not end"


@pytest.fixture
def context(request, browser, live_server, lang) -> Iterator[BrowserContext]:
    """A fresh browser profile reading ``lang``: the language cookie plus a matching Accept-Language.

    The live-updates stream is answered with 204 (EventSource then stops for good) unless the test
    asks for ``live_stream``: a stream's server thread polls the database for up to a minute after
    the tab closes, into the next test's database set-up.
    """
    context = browser.new_context(
        base_url=live_server.url,
        locale=BROWSER_LOCALES[lang],
        viewport={"width": 1280, "height": 900},
    )
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    if "live_stream" in request.fixturenames:
        request.getfixturevalue("live_stream")  # set up first, so torn down after the tab closes
    else:
        context.route(re.compile(r"/tickets/stream/"), lambda route: route.fulfill(status=204))
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context) -> Iterator[Page]:
    """A tab whose script errors fail the test: a broken page must not pass because the DOM looked right."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == [], f"JavaScript errors on {page.url}: {errors}"


@pytest.fixture
def screenshot(lang):
    """Save a full-page screenshot as test-artifacts/screenshots/<lang>/<name>.png (KEFU_TEST_ARTIFACTS)."""
    root = Path(os.environ.get("KEFU_TEST_ARTIFACTS") or REPO / "test-artifacts")
    folder = root / "screenshots" / lang
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def signed_in(context, page, desk, live_server) -> Page:
    """A tab of ``desk.agent`` (department A), signed in."""
    sign_in_as(context, live_server.url, desk.agent.user)
    return page
