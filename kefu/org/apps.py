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
        from kefu.org.models import Agent, ApiKey, Department, HelpdeskSettings, Role, User

        # Cache invalidation only: any write to these rows, by any path, makes every process reload the
        # settings, departments, agents' access (kefu.org.selectors) and API keys (services.api_keys).
        for model in (HelpdeskSettings, Department, Role, Agent, ApiKey, User):
            name = model.__name__
            saved = {Agent: _agent_saved, User: _user_saved}.get(model, catalog_changed)
            post_save.connect(saved, sender=model, dispatch_uid=f"catalog.{name}.save")
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"catalog.{name}.delete")
        m2m_changed.connect(
            catalog_changed, sender=Agent.departments.through, dispatch_uid="catalog.Agent.departments"
        )


def _user_saved(update_fields: frozenset[str] | None = None, **arguments: Any) -> None:
    """A sign-in (``last_login``) or a new name grants nothing; (de)activation or a new password does."""
    from kefu.core.catalog_cache import catalog_changed

    if update_fields is None or {"is_active", "is_superuser", "password", "email"} & set(update_fields):
        catalog_changed()


def _agent_saved(update_fields: frozenset[str] | None = None, **arguments: Any) -> None:
    """An agent's own profile (availability, signature, time zone) changes often and grants nothing."""
    from kefu.core.catalog_cache import catalog_changed

    if update_fields is None or {"role", "user"} & set(update_fields):
        catalog_changed()
