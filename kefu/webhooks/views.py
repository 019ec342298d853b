"""Settings → Webhooks (administrators): the list, create/edit, the secret shown once, the delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.automation.criteria import field_catalog
from kefu.core.actors import Source
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.core.pagination import BadCursor, paginate
from kefu.org import permissions
from kefu.org.views.common import actor_of, agent_required, posted, render_settings
from kefu.webhooks import selectors, services
from kefu.webhooks.events import event_label
from kefu.webhooks.forms import WebhookForm, webhook_initial
from kefu.webhooks.models import WebhookSubscription
from kefu.webhooks.signing import HEADER

admin_required = agent_required(permissions.SETTINGS_MANAGE)
NAV = "webhooks"
LOG_PAGE = 25


def _subscription_or_404(webhook_id: int) -> WebhookSubscription:
    subscription = selectors.webhook_get(webhook_id)
    if subscription is None:
        raise Http404
    return subscription


def _on_form(form: WebhookForm, error: ServiceError) -> None:
    """Errors named by path (``criteria.all[0].value``) go on the field they belong to."""
    fields: dict[str, str] = {}
    for key, message in error.fields.items():
        name = key.split(".", 1)[0].split("[", 1)[0]
        fields.setdefault(name, message)
    form.apply_service_error(ValidationFailed(error.message, fields=fields))


def _secret_page(request: HttpRequest, subscription: WebhookSubscription, secret: str) -> HttpResponse:
    response = render_settings(
        request,
        "webhooks/secret.html",
        {"subscription": subscription, "secret": secret, "header": HEADER},
        nav=NAV,
    )
    response["Cache-Control"] = "no-store"
    return response


@admin_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    subscriptions = list(selectors.webhook_list())
    for subscription in subscriptions:
        subscription.event_labels = [event_label(value) for value in subscription.event_types]  # type: ignore[attr-defined]
    return render_settings(request, "webhooks/list.html", {"subscriptions": subscriptions}, nav=NAV)


def _form_page(request: HttpRequest, subscription: WebhookSubscription | None) -> HttpResponse:
    initial = webhook_initial(subscription) if subscription is not None else None
    form = WebhookForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        try:
            if subscription is None:
                created = services.webhook_create(actor=actor, source=Source.WEB, data=form.to_input())
                messages.success(request, _("The webhook was saved."))
                return _secret_page(request, created, created.secret)
            services.webhook_update(
                actor=actor, source=Source.WEB, subscription=subscription, data=form.to_input()
            )
        except ServiceError as exc:
            _on_form(form, exc)
        else:
            messages.success(request, _("The webhook was saved."))
            return redirect("webhooks:list")
    status = 422 if request.method == "POST" else 200
    return render_settings(
        request,
        "webhooks/edit.html",
        {
            "form": form,
            "subscription": subscription,
            "criteria_catalog": field_catalog(allow_changes=False),
            "title": subscription.name if subscription is not None else _("Add a webhook"),
        },
        nav=NAV,
        status=status,
    )


@admin_required
def webhook_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@admin_required
def webhook_detail(request: HttpRequest, webhook_id: int) -> HttpResponse:
    return _form_page(request, _subscription_or_404(webhook_id))


@admin_required
@require_POST
def webhook_secret(request: HttpRequest, webhook_id: int) -> HttpResponse:
    subscription = _subscription_or_404(webhook_id)
    secret = services.webhook_secret_regenerate(
        actor=actor_of(request), source=Source.WEB, subscription=subscription
    )
    return _secret_page(request, subscription, secret)


@admin_required
@require_POST
def webhook_delete(request: HttpRequest, webhook_id: int) -> HttpResponse:
    subscription = _subscription_or_404(webhook_id)
    services.webhook_delete(actor=actor_of(request), source=Source.WEB, subscription=subscription)
    messages.success(request, _("The webhook was deleted."))
    return redirect("webhooks:list")


@admin_required
def delivery_log(request: HttpRequest, webhook_id: int) -> HttpResponse:
    subscription = _subscription_or_404(webhook_id)
    try:
        page = paginate(
            selectors.delivery_list(subscription).prefetch_related("attempt_log"),
            sort="-id",
            limit=LOG_PAGE,
            cursor=request.GET.get("cursor") or None,
        )
    except BadCursor:
        return redirect("webhooks:deliveries", webhook_id=subscription.pk)
    for delivery in page.items:
        delivery.event_label = event_label(delivery.event_type)  # type: ignore[attr-defined]
    return render_settings(
        request,
        "webhooks/deliveries.html",
        {"subscription": subscription, "deliveries": page.items, "next_cursor": page.next_cursor},
        nav=NAV,
        partial="webhooks/partials/delivery_rows.html",
    )


@admin_required
@require_POST
def delivery_redeliver(request: HttpRequest, webhook_id: int, delivery_id: int) -> HttpResponse:
    subscription = _subscription_or_404(webhook_id)
    delivery = selectors.delivery_get(subscription, delivery_id)
    if delivery is None:
        raise Http404
    try:
        services.delivery_redeliver(actor=actor_of(request), source=Source.WEB, delivery=delivery)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The delivery is being sent again."))
    return redirect("webhooks:deliveries", webhook_id=subscription.pk)
