"""Default statuses (新建, 处理中, 搁置, 已关闭), priorities (紧急, 高, 中, 低) and the number counter."""

from django.db import migrations

STATUSES = [
    ("新建", "New", "open", True),
    ("处理中", "In progress", "open", False),
    ("搁置", "On hold", "on_hold", False),
    ("已关闭", "Closed", "closed", False),
]
PRIORITIES = [
    ("紧急", "Urgent", "#d63939", False),
    ("高", "High", "#f76707", False),
    ("中", "Medium", "#4299e1", True),
    ("低", "Low", "#74b816", False),
]


def create_defaults(apps, schema_editor):
    Status = apps.get_model("tickets", "Status")
    Priority = apps.get_model("tickets", "Priority")
    for order, (name, name_en, status_type, is_default) in enumerate(STATUSES):
        Status.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "status_type": status_type,
                "order": order,
                "is_default": is_default,
            },
        )
    for order, (name, name_en, colour, is_default) in enumerate(PRIORITIES):
        Priority.objects.get_or_create(
            name=name,
            defaults={"name_en": name_en, "colour": colour, "order": order, "is_default": is_default},
        )
    apps.get_model("tickets", "TicketNumberSequence").objects.get_or_create(pk=1, defaults={"last_value": 0})


def remove_defaults(apps, schema_editor):
    apps.get_model("tickets", "Status").objects.filter(
        name__in=[s[0] for s in STATUSES], tickets__isnull=True
    ).delete()
    apps.get_model("tickets", "Priority").objects.filter(
        name__in=[p[0] for p in PRIORITIES], tickets__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, remove_defaults)]
