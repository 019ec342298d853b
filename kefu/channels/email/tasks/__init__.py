"""Celery tasks of the email channel; Celery's autodiscovery imports this package."""

from kefu.channels.email.tasks.intake import *  # noqa: F403
from kefu.channels.email.tasks.transport import *  # noqa: F403
