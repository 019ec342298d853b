from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kefu.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from celery.signals import task_prerun
        from django.core.signals import request_started

        import kefu.celery  # noqa: F401  (shared tasks bind to the project's Celery app)
        from kefu.core import catalog_cache

        def recheck(**_arguments: object) -> None:
            catalog_cache.recheck()

        # Each request and each task reads the catalogue version once (see kefu.core.catalog_cache).
        request_started.connect(recheck, dispatch_uid="catalog.recheck.request", weak=False)
        task_prerun.connect(recheck, dispatch_uid="catalog.recheck.task", weak=False)
