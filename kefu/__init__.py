"""Kefu (客服): an open-source, self-hostable customer-service help desk."""

from kefu.celery import app as celery_app

__all__ = ["celery_app"]
