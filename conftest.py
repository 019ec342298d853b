"""Test configuration shared by every app's tests and the cross-app tests under tests/."""

from __future__ import annotations

import pytest
from celery import _state as celery_state
from django.utils import translation

from kefu.celery import app as celery_app
from kefu.core import catalog_cache

pytest_plugins = ["tests.fixtures"]


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read English unless they ask for Chinese (Accept-Language or ``translation.override``)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories give every agent a password; Argon2 would spend most of the suite's time hashing them.

    Production hashing is checked in kefu/org/tests/test_passwords.py.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Attachments of one test never meet another's."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _tasks_run_inline():
    """Queued tasks run in the test process when their transaction commits.

    Tests that need the real worker and broker start them (see tests/integration/test_worker.py).
    """
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
    # Eager tasks run by several threads at once (test_numbering) race on Celery's process-wide "inside a
    # task" flag and can leave it set; a later test's ``result.get()`` would then refuse to wait.
    celery_state._set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    """No test sees statuses, priorities or custom fields cached from an earlier test's rolled-back data."""
    catalog_cache.forget()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start a real Celery worker share one Redis database: ``./scripts/test`` runs the suite on
    both cores (pytest-xdist, ``--dist loadgroup``), and this keeps those tests on one of them."""
    for item in items:
        if item.get_closest_marker("worker") or "redis_worker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("shared-redis"))
