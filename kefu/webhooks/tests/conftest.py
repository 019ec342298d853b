from __future__ import annotations

import pytest

from kefu.webhooks.tests.receiver import receiver


@pytest.fixture
def hook_receiver(settings):
    """A local receiver, with loopback allowed (as an administrator would for an intranet receiver)."""
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with receiver() as state:
        yield state
