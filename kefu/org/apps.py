from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "kefu.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from kefu.core.catalog_cache import catalog_changed
        from kefu.org.models import Agent, Department, HelpdeskSettings, Role

        # Cache invalidation only: any write to these rows, by any path, makes every process reload the
        # settings, departments and agents' access (kefu.org.selectors).
        for model in (HelpdeskSettings, Department, Role, Agent):
            name = model.__name__
            saved = _agent_saved if model is Agent else catalog_changed
            post_save.connect(saved, sender=model, dispatch_uid=f"catalog.{name}.save")
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"catalog.{name}.delete")
        m2m_changed.connect(
            catalog_changed, sender=Agent.departments.through, dispatch_uid="catalog.Agent.departments"
        )


def _agent_saved(update_fields: frozenset[str] | None = None, **arguments: Any) -> None:
    """An agent's own profile (availability, signature, time zone) changes often and grants nothing."""
    from kefu.core.catalog_cache import catalog_changed

    if update_fields is None or {"role", "user"} & set(update_fields):
        catalog_changed()
