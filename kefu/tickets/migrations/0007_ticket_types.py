"""Ticket types (咨询, 问题, 服务请求, 事件, 其他) as an editable list, and ``type`` on tickets."""

import django.db.models.deletion
from django.db import migrations, models


TYPES = [
    ("咨询", "Question"),
    ("问题", "Problem"),
    ("服务请求", "Request"),
    ("事件", "Incident"),
    ("其他", "Others"),
]


def create_types(apps, schema_editor):
    TicketType = apps.get_model("tickets", "TicketType")
    for order, (name, name_en) in enumerate(TYPES):
        TicketType.objects.get_or_create(name=name, defaults={"name_en": name_en, "order": order})


def remove_types(apps, schema_editor):
    apps.get_model("tickets", "TicketType").objects.filter(
        name__in=[name for name, _ in TYPES], tickets__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0006_thread_delivery_no_address"),
    ]

    operations = [
        migrations.CreateModel(
            name="TicketType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=100, verbose_name="English name")),
                ("order", models.PositiveIntegerField(default=0, verbose_name="order")),
                ("is_default", models.BooleanField(default=False, verbose_name="default for new tickets")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "ticket type",
                "verbose_name_plural": "ticket types",
                "ordering": ["order", "id"],
                "constraints": [models.UniqueConstraint(fields=("name",), name="tickets_type_unique_name")],
            },
        ),
        migrations.AddField(
            model_name="ticket",
            name="type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tickets",
                to="tickets.tickettype",
                verbose_name="type",
            ),
        ),
        migrations.RunPython(create_types, remove_types),
    ]
