from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "kefu.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        # Layouts (kept by the custom-fields app) place the contact's and account's own fields; our
        # services enforce them. They belong to no department and are never closed.
        from kefu.contacts.services.layout_check import (
            ACCOUNT,
            CONTACT,
            account_layout_fields,
            contact_layout_fields,
        )
        from kefu.customfields.layouts import CREATE, register_builtin_fields

        register_builtin_fields(CONTACT, contact_layout_fields, phases=(CREATE,), per_department=False)
        register_builtin_fields(ACCOUNT, account_layout_fields, phases=(CREATE,), per_department=False)
