"""The four built-in roles and the settings row every installation starts with."""

from django.db import migrations

ROLES = {
    "administrator": ("管理员", "Administrator", [
        "ticket.view_all_departments", "ticket.create", "ticket.edit", "ticket.assign", "ticket.reply",
        "ticket.comment", "ticket.comment_public", "ticket.delete", "contact.manage", "agent.manage",
        "settings.manage",
    ]),
    "supervisor": ("主管", "Supervisor", [
        "ticket.create", "ticket.edit", "ticket.assign", "ticket.reply", "ticket.comment",
        "ticket.comment_public", "contact.manage", "ticket.delete", "agent.manage",
    ]),
    "agent": ("客服", "Agent", [
        "ticket.create", "ticket.edit", "ticket.assign", "ticket.reply", "ticket.comment",
        "ticket.comment_public", "contact.manage",
    ]),
    "light_agent": ("轻量客服", "Light agent", ["ticket.comment"]),
}  # fmt: skip


def create_defaults(apps, schema_editor):
    Role = apps.get_model("org", "Role")
    for key, (name, name_en, permissions) in ROLES.items():
        Role.objects.update_or_create(
            key=key,
            defaults={"name": name, "name_en": name_en, "permissions": permissions, "is_system": True},
        )
    apps.get_model("org", "HelpdeskSettings").objects.get_or_create(pk=1)


def remove_defaults(apps, schema_editor):
    apps.get_model("org", "Role").objects.filter(key__in=ROLES, is_system=True, agents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, remove_defaults)]
