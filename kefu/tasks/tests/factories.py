"""Factories for tasks: created through the service, as the system would."""

from __future__ import annotations

from typing import Any

from kefu.core.actors import Actor, Source
from kefu.tasks.inputs import TaskInput
from kefu.tasks.models import Task
from kefu.tasks.services import task_create


def task(title: str = "给王芳回电话", **values: Any) -> Task:
    return task_create(actor=Actor.system(), source=Source.IMPORT, data=TaskInput(title=title, **values))
