"""Every built-in notification gets its Chinese and English template, holding the shipped words."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from kefu.notifications import catalog

    template_model = apps.get_model("notifications", "NotificationTemplate")
    have = set(template_model.objects.values_list("event", "language"))
    template_model.objects.bulk_create(
        [
            template_model(
                event=kind.key,
                language=language,
                subject=template.subject,
                body_html=template.body_html,
                body_text=template.body_text,
            )
            for kind in catalog.all_types()
            for language, template in kind.templates.items()
            if (kind.key, language) not in have
        ]
    )


def remove_defaults(apps, schema_editor):
    apps.get_model("notifications", "NotificationTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_notifications")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
