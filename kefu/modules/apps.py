from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModulesConfig(AppConfig):
    name = "kefu.modules"
    label = "modules"
    verbose_name = _("Custom modules")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kefu.core.catalog_cache import catalog_changed
        from kefu.customfields.layouts import register_layout_modules
        from kefu.modules.models import CustomModule, ModuleField, ModuleRoleAccess
        from kefu.modules.services.layout_check import layout_modules

        # Layouts (kept by the custom-fields app) arrange each module's record form; our services
        # enforce them.
        register_layout_modules("modules", layout_modules)

        # Cache invalidation only: module definitions and their access levels are catalogue data.
        for model in (CustomModule, ModuleField, ModuleRoleAccess):
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.save")
            post_delete.connect(
                catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.delete"
            )
