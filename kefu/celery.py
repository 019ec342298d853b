"""The Celery application: side effects and time-based work run here, never in a web request."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
# The embedded broker's transport (kefu/broker.py), named in the broker URL: kefu-filesystem://
TRANSPORT_ALIASES.setdefault("kefu-filesystem", "kefu.broker:Transport")

app = Celery("kefu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="kefu.ping", ignore_result=True)
def ping() -> str:
    """Do nothing: whether the worker takes jobs, and how many a second (``python -m bench.jobs``)."""
    return "pong"
