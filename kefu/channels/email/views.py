"""Mail settings pages (administrators): mailboxes, stored messages, raw sources; and the agents'
"send again" button for a reply that failed to go out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.channels.email import selectors, services
from kefu.channels.email.connect import connection_check
from kefu.channels.email.forms import FIELD_MAP, MailboxForm, mailbox_initial
from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.channels.email.outbound import outbound_retry as retry_service
from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.core.pagination import BadCursor, paginate
from kefu.org import permissions
from kefu.org.selectors import department_list
from kefu.org.views.common import actor_of, agent_required, posted, render_settings
from kefu.tickets.selectors import thread_visible

admin_required = agent_required(permissions.SETTINGS_MANAGE)


def _form(data: Any = None, *, mailbox: Mailbox | None = None) -> MailboxForm:
    return MailboxForm(
        data,
        initial=mailbox_initial(mailbox) if mailbox is not None else None,
        department_choices=[(d.pk, d.display_name) for d in department_list(active_only=True)],
        brand_choices=selectors.brand_choices(),
        has_password=bool(mailbox and mailbox.password),
        has_smtp_password=bool(mailbox and mailbox.smtp_password),
    )


def _mailbox_or_404(mailbox_id: int) -> Mailbox:
    mailbox = selectors.mailbox_get(mailbox_id)
    if mailbox is None:
        raise Http404
    return mailbox


@admin_required
def mailbox_list(request: HttpRequest) -> HttpResponse:
    return render_settings(
        request, "mail/mailbox_list.html", {"mailboxes": selectors.mailbox_list()}, nav="mailboxes"
    )


def _mailbox_form_page(request: HttpRequest, mailbox: Mailbox | None) -> HttpResponse:
    form = _form(posted(request), mailbox=mailbox)
    if request.method == "POST" and form.is_valid():
        try:
            if mailbox is None:
                services.mailbox_create(actor=actor_of(request), source=Source.WEB, data=form.to_input())
            else:
                services.mailbox_update(
                    actor=actor_of(request), source=Source.WEB, mailbox=mailbox, data=form.to_input()
                )
        except ServiceError as exc:
            form.apply_service_error(exc, FIELD_MAP)
        else:
            messages.success(request, _("The mailbox was saved."))
            return redirect("mail:mailbox-list")
    status = 422 if request.method == "POST" else 200
    return render_settings(
        request, "mail/mailbox_form.html", {"form": form, "mailbox": mailbox}, nav="mailboxes", status=status
    )


@admin_required
def mailbox_create(request: HttpRequest) -> HttpResponse:
    return _mailbox_form_page(request, None)


@admin_required
def mailbox_edit(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    mailbox = _mailbox_or_404(mailbox_id)
    return _mailbox_form_page(request, mailbox)


@admin_required
@require_POST
def mailbox_deactivate(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    mailbox = _mailbox_or_404(mailbox_id)
    services.mailbox_deactivate(actor=actor_of(request), source=Source.WEB, mailbox=mailbox)
    messages.success(request, _("The mailbox was deactivated."))
    return redirect("mail:mailbox-list")


@admin_required
@require_POST
def mailbox_intake_secret(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    """Generate (and show once) or remove the mailbox's own HTTP intake secret."""
    mailbox = _mailbox_or_404(mailbox_id)
    if request.POST.get("action") == "remove":
        services.mailbox_intake_secret_remove(actor=actor_of(request), source=Source.WEB, mailbox=mailbox)
        messages.success(request, _("The mailbox's HTTP intake secret was removed."))
        return redirect("mail:mailbox-edit", mailbox_id=mailbox.pk)
    secret = services.mailbox_intake_secret_generate(
        actor=actor_of(request), source=Source.WEB, mailbox=mailbox
    )
    response = render_settings(
        request,
        "mail/intake_secret.html",
        {
            "mailbox": mailbox,
            "secret": secret,
            "endpoint": request.build_absolute_uri(reverse("api-v1:inbound_message")),
        },
        nav="mailboxes",
    )
    response["Cache-Control"] = "no-store"
    return response


@admin_required
@require_POST
def mailbox_test(request: HttpRequest) -> HttpResponse:
    """Try the connection settings in the form as they are, without saving anything.

    Empty password fields mean "the stored one" when the form edits an existing mailbox.
    """
    form = _form(request.POST)
    form.is_valid()
    data = form.cleaned_data
    mailbox_id = request.POST.get("mailbox_id", "")
    stored = selectors.mailbox_get(int(mailbox_id)) if mailbox_id.isdigit() else None
    probe = Mailbox(
        protocol=data.get("protocol") or Mailbox.Protocol.PUSH,
        host=data.get("host") or "",
        port=data.get("port"),
        security=data.get("security") or "ssl",
        username=data.get("username") or "",
        password=data.get("password") or (stored.password if stored else ""),
        folder=data.get("folder") or "INBOX",
        smtp_host=data.get("smtp_host") or "",
        smtp_port=data.get("smtp_port"),
        smtp_security=data.get("smtp_security") or "starttls",
        smtp_username=data.get("smtp_username") or "",
        smtp_password=data.get("smtp_password") or (stored.smtp_password if stored else ""),
    )
    problems = [
        form.errors[name][0]
        for name in ("protocol", "host", "port", "security", "smtp_host", "smtp_port", "smtp_security")
        if name in form.errors
    ]
    results = [] if problems else connection_check(probe)
    return render_settings(
        request,
        "mail/connection_test.html",
        {"results": results, "problems": problems},
        nav="mailboxes",
        partial="mail/partials/connection_test.html",
    )


@admin_required
def inbound_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    queryset = selectors.inbound_list(state=state)
    cursor = request.GET.get("cursor", "")[:500] or None
    try:
        page = paginate(queryset, sort="-received_at", limit=selectors.INBOUND_PAGE_SIZE, cursor=cursor)
    except BadCursor:
        page = paginate(queryset, sort="-received_at", limit=selectors.INBOUND_PAGE_SIZE, cursor=None)
    return render_settings(
        request,
        "mail/inbound_list.html",
        {"page": page, "state": state, "states": InboundMessage.State.choices},
        nav="inbound",
    )


@admin_required
@require_POST
def inbound_reprocess(request: HttpRequest, inbound_id: int) -> HttpResponse:
    try:
        inbound = services.inbound_reprocess(
            actor=actor_of(request), source=Source.WEB, inbound_id=inbound_id
        )
    except ServiceError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Message %(id)s: %(state)s.") % {"id": inbound.pk, "state": inbound.get_state_display()},
        )
    state = request.POST.get("state", "")
    query = f"?state={state}" if state in InboundMessage.State.values else ""
    return redirect(reverse("mail:inbound-list") + query)


def _source_response(inbound_id: int) -> HttpResponse:
    raw = selectors.inbound_raw(inbound_id)
    if raw is None:
        raise Http404
    for charset in ("utf-8", "gb18030"):
        try:
            raw.decode(charset)
        except UnicodeDecodeError:
            continue
        break
    else:
        charset = "iso-8859-1"  # every byte is a character: nothing is lost or refused
    response = HttpResponse(raw, content_type=f"text/plain; charset={charset}")
    response["Content-Disposition"] = f'inline; filename="message-{inbound_id}.eml"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@admin_required
def inbound_source(request: HttpRequest, inbound_id: int) -> HttpResponse:
    return _source_response(inbound_id)


@admin_required
def thread_source(request: HttpRequest, thread_id: int) -> HttpResponse:
    inbound_id = selectors.thread_inbound_id(thread_id)
    if inbound_id is None:
        raise Http404
    return _source_response(inbound_id)


@agent_required()
@require_POST
def outbound_retry(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = thread_visible(request.user, thread_id)
    if thread is None:
        raise Http404
    try:
        retry_service(actor=actor_of(request), source=Source.WEB, thread=thread)
    except ServiceError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The reply will be sent again."))
    try:
        return redirect(reverse("tickets:detail", args=[thread.ticket_id]))
    except NoReverseMatch:
        return redirect(request.headers.get("referer") or "home")
