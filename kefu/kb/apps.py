from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kefu.kb"
    label = "kb"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        # The search index follows the articles through the outbox.
        from kefu.kb.subscribers import register

        register()
