"""Merging and splitting tickets: merged_into and split_from on tickets, and the merge record behind undo."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0007_ticket_types'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='ticket',
            name='merged_into',
            field=models.ForeignKey(blank=True, help_text='The ticket this one was merged into: its conversation and history live there now.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='merged_tickets', to='tickets.ticket', verbose_name='merged into'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='split_from',
            field=models.ForeignKey(blank=True, help_text='The ticket a message of which became this ticket.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='split_tickets', to='tickets.ticket', verbose_name='split from'),
        ),
        migrations.CreateModel(
            name='TicketMerge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('moved', models.JSONField(default=dict)),
                ('merged_at', models.DateTimeField(verbose_name='merged')),
                ('undone_at', models.DateTimeField(blank=True, null=True, verbose_name='undone')),
                ('merged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='merges_out', to='tickets.ticket')),
                ('source_status', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tickets.status')),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='merges_in', to='tickets.ticket')),
            ],
            options={
                'verbose_name': 'ticket merge',
                'verbose_name_plural': 'ticket merges',
                'indexes': [models.Index(fields=['source', 'merged_at'], name='ticketmerge_source_idx')],
            },
        ),
    ]
