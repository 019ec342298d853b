from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomFieldsConfig(AppConfig):
    name = "kefu.customfields"
    label = "customfields"
    verbose_name = _("Custom fields")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from kefu.core.catalog_cache import catalog_changed
        from kefu.customfields.models import CustomField, Layout, PicklistOption

        # Cache invalidation only: any write to the definitions, by any path, makes processes reload them.
        post_save.connect(catalog_changed, sender=CustomField, dispatch_uid="catalog.CustomField.save")
        post_delete.connect(catalog_changed, sender=CustomField, dispatch_uid="catalog.CustomField.delete")
        m2m_changed.connect(
            catalog_changed, sender=CustomField.departments.through, dispatch_uid="catalog.CustomField.m2m"
        )
        post_save.connect(catalog_changed, sender=PicklistOption, dispatch_uid="catalog.PicklistOption.save")
        post_delete.connect(
            catalog_changed, sender=PicklistOption, dispatch_uid="catalog.PicklistOption.delete"
        )
        m2m_changed.connect(
            catalog_changed,
            sender=PicklistOption.departments.through,
            dispatch_uid="catalog.PicklistOption.m2m",
        )
        post_save.connect(catalog_changed, sender=Layout, dispatch_uid="catalog.Layout.save")
        post_delete.connect(catalog_changed, sender=Layout, dispatch_uid="catalog.Layout.delete")
