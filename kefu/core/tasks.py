"""Celery tasks of the core app."""

from celery import shared_task

from kefu.core.maintenance import database_optimize


@shared_task(name="core.optimize_database", ignore_result=True)
def optimize_database() -> None:
    database_optimize()
