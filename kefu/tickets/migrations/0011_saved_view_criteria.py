"""Saved views become criteria: each view's filter dict is converted to the criteria engine's JSON.

The conversion is a frozen copy of the filter bar's translation (``listing.filters_criteria``) as it was
when this migration was written, so later changes to the filter bar do not change what it does:

- status / priority / type (an id or a name) → ``{"field": …, "op": "is", "value": id}``; type ``none``
  → ``type is_empty``; assignee ``me`` stays ``"me"`` (the viewer), ``none`` → ``assignee_id is_empty``;
- department_id, team_id, channel, status_type → ``is``; tag → ``tags contains``; q → ``search contains``;
- created/updated from a date → ``on_or_after`` that date, to a date → ``on_or_before`` (the whole day,
  in the viewer's zone, as before), an instant "before" → ``lt``;
- ``cf.<key>``: a pick list → ``custom_fields.<key> is``, a multi-select → ``contains``;
- ``base`` (the system view it narrows) and ``due`` move to their own columns.

A value no row answers to any more (a status since deleted) is kept as it was written, so the view
still shows nothing rather than everything. The reverse turns the conditions it knows back into filters.
"""

from django.db import migrations, models
from django.utils.dateparse import parse_date, parse_datetime

import kefu.tickets.criteria

BATCH = 500


def _named(model, value):
    text = str(value).strip()
    if text.isascii() and text.isdigit():
        return int(text)
    found = (
        model.objects.filter(models.Q(name__iexact=text) | models.Q(name_en__iexact=text))
        .order_by("pk")
        .first()
    )
    return found.pk if found is not None else text


def _reference(value):
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() else text


def filters_to_criteria(apps, filters):
    Status = apps.get_model("tickets", "Status")
    Priority = apps.get_model("tickets", "Priority")
    TicketType = apps.get_model("tickets", "TicketType")
    CustomField = apps.get_model("customfields", "CustomField")
    items = []

    def add(field, op, value=None):
        items.append(
            {"field": field, "op": op} if value is None else {"field": field, "op": op, "value": value}
        )

    for key, value in filters.items():
        value = str(value).strip()
        if not value or key in ("base", "due"):
            continue
        if key == "status":
            add("status", "is", _named(Status, value))
        elif key == "priority":
            add("priority", "is", _named(Priority, value))
        elif key == "type":
            if value == "none":
                add("type", "is_empty")
            else:
                add("type", "is", _named(TicketType, value))
        elif key == "assignee_id":
            if value == "me":
                add("assignee_id", "is", "me")
            elif value == "none":
                add("assignee_id", "is_empty")
            else:
                add("assignee_id", "is", _reference(value))
        elif key in ("department_id", "team_id"):
            add(key, "is", _reference(value))
        elif key in ("channel", "status_type"):
            add(key, "is", value)
        elif key == "tag":
            add("tags", "contains", " ".join(value.split()))
        elif key == "q":
            add("search", "contains", value)
        elif key in ("created_after", "created_before", "updated_after", "updated_before"):
            field = "created_at" if key.startswith("created") else "updated_at"
            day = parse_date(value) if len(value) <= 10 else None
            moment = day or parse_datetime(value)
            if moment is None:
                continue
            if key.endswith("after"):
                add(field, "on_or_after", moment.isoformat())
            else:
                add(field, "on_or_before" if day else "lt", moment.isoformat())
        elif key.startswith("cf."):
            name = key[3:]
            custom = CustomField.objects.filter(module="ticket", key=name).first()
            multi = custom is not None and custom.field_type == "multi_select"
            add(f"custom_fields.{name}", "contains" if multi else "is", value)
    return {"all": items}


def criteria_to_filters(criteria):
    filters = {}
    simple = {
        "status",
        "priority",
        "type",
        "assignee_id",
        "department_id",
        "team_id",
        "channel",
        "status_type",
    }
    for item in (criteria or {}).get("all", []):
        field, op, value = item.get("field"), item.get("op"), item.get("value")
        if field in simple and op == "is":
            filters[field] = str(value)
        elif field in ("type", "assignee_id") and op == "is_empty":
            filters[field] = "none"
        elif field == "tags" and op == "contains":
            filters["tag"] = value
        elif field == "search" and op == "contains":
            filters["q"] = value
        elif field in ("created_at", "updated_at") and op in ("on_or_after", "on_or_before", "lt"):
            prefix = "created" if field == "created_at" else "updated"
            filters[f"{prefix}_{'after' if op == 'on_or_after' else 'before'}"] = value
        elif isinstance(field, str) and field.startswith("custom_fields.") and op in ("is", "contains"):
            filters[f"cf.{field.removeprefix('custom_fields.')}"] = value
    return filters


def forward(apps, schema_editor):
    SavedView = apps.get_model("tickets", "SavedView")
    views = SavedView.objects.order_by("pk")
    last = 0
    while batch := list(views.filter(pk__gt=last)[:BATCH]):
        for view in batch:
            filters = view.filters or {}
            view.criteria = filters_to_criteria(apps, filters)
            view.base = str(filters.get("base") or "")[:20]
            view.due = str(filters.get("due") or "")[:10]
        SavedView.objects.bulk_update(batch, ["criteria", "base", "due"])
        last = batch[-1].pk


def backward(apps, schema_editor):
    SavedView = apps.get_model("tickets", "SavedView")
    views = SavedView.objects.order_by("pk")
    last = 0
    while batch := list(views.filter(pk__gt=last)[:BATCH]):
        for view in batch:
            filters = criteria_to_filters(view.criteria)
            filters.update({key: value for key, value in (("base", view.base), ("due", view.due)) if value})
            view.filters = filters
        SavedView.objects.bulk_update(batch, ["filters"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("customfields", "0003_picklist_options"),
        ("tickets", "0010_scheduled_replies"),
    ]

    operations = [
        migrations.AddField(
            model_name="savedview",
            name="criteria",
            field=models.JSONField(
                blank=True, default=kefu.tickets.criteria.empty_criteria, verbose_name="conditions"
            ),
        ),
        migrations.AddField(
            model_name="savedview",
            name="base",
            field=models.CharField(blank=True, max_length=20, verbose_name="based on view"),
        ),
        migrations.AddField(
            model_name="savedview",
            name="due",
            field=models.CharField(blank=True, max_length=10, verbose_name="due"),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="savedview", name="filters"),
    ]
