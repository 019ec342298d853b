"""Kefu (客服): an open-source, self-hostable customer-service help desk.

The Celery application (``kefu.celery``) is loaded when Django starts (``CoreConfig.ready``) and by
``celery -A kefu``, not on import of this package: ``kefu mail ingest --spool`` runs from an MTA once per
message and must start in milliseconds.
"""
