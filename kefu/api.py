"""The REST API v1: authentication, error mapping and the routers of each app.

Every error a client can cause answers ``{"error": {"code", "message", "fields"}}`` with a 4xx status;
a 500 means a bug in Kefu, and is answered in the same shape so that clients never parse HTML.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import PathView
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from kefu.automation.routing_api import router as routing_router
from kefu.automation.routing_api import tickets_router as macro_tickets_router
from kefu.automation.workflow.api import catalog_router as automation_router
from kefu.automation.workflow.api import time_router as time_rules_router
from kefu.automation.workflow.api import workflow_router as workflow_rules_router
from kefu.channels.email.api import router as mail_router
from kefu.contacts.api import accounts_router, contacts_router
from kefu.core.api_errors import activate_owner_language, method_not_allowed, validation_fields
from kefu.core.errors import ServiceError
from kefu.core.renderers import UnicodeJSONRenderer
from kefu.customfields.api import router as customfields_router
from kefu.customfields.layouts_api import router as layouts_router
from kefu.kb.api import router as kb_router
from kefu.modules.api import router as modules_router
from kefu.notifications.api import router as notifications_router
from kefu.org.api import router as org_router
from kefu.org.services import api_key_authenticate
from kefu.portal.api import brands_router, public_router
from kefu.search.api import router as search_router
from kefu.sla.api import router as sla_policies_router
from kefu.sla.calendars_api import router as business_hours_router
from kefu.tasks.api import router as tasks_router
from kefu.tickets.api import TicketMoved, catalog_router
from kefu.tickets.api import router as tickets_router
from kefu.tickets.numbering_api import router as numbering_router
from kefu.tickets.saved_views_api import router as saved_views_router
from kefu.timetracking.api import entries_router as time_entries_router
from kefu.timetracking.api import tickets_router as ticket_time_router
from kefu.transfer.api import exports_router, imports_router
from kefu.webhooks.api import router as webhooks_router

logger = logging.getLogger(__name__)


class BearerKey(HttpBearer):
    openapi_description = "An API key: `Authorization: Bearer kefu_…` (create one with `kefu apikey create`)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_key_authenticate(token)
        activate_owner_language(request, user)
        return user


class SignedInSession(SessionAuth):
    """The console's session cookie (the docs page, scripts in the browser).

    CSRF is checked only for a session that is signed in: a request with no credentials, or only a wrong
    key, is simply not authenticated by this scheme and answers 401 rather than a 403 about CSRF.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class HeaderKey(APIKeyHeader):
    """``X-API-Key: kefu_…`` for clients that cannot set an Authorization header."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = api_key_authenticate(key) if key else None
        activate_owner_language(request, user)
        return user


api = NinjaAPI(
    title="Kefu API",
    version="1.0.0",
    description=(
        "The Kefu help desk REST API. Lists answer `{items, next_cursor}`; pass `next_cursor` back as "
        "`cursor`. Errors answer `{error: {code, message, fields}}`. Creating endpoints accept an "
        "`Idempotency-Key` header."
    ),
    auth=[BearerKey(), HeaderKey(), SignedInSession()],
    renderer=UnicodeJSONRenderer(),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return error_response(request, exc.status_code, exc.code, exc.message, exc.fields)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Every bad field at once, each in the client's language (kefu.core.api_errors)."""
    fields = validation_fields(exc.errors)
    return error_response(request, 422, "validation_failed", _("The request is not valid."), fields)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request, 401, "unauthenticated", _("Send a valid API key: Authorization: Bearer <key>.")
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 403: "permission_denied", 404: "not_found", 413: "payload_too_large"}
    message = str(exc)
    if exc.status_code == 400 and exc.__cause__ is not None:
        # Ninja's "Cannot parse request body": the body is not JSON.
        message = _("The request body is not valid JSON.")
    return error_response(request, exc.status_code, code.get(exc.status_code, "error"), message)


@api.exception_handler(TicketMoved)
def on_ticket_moved(request: HttpRequest, exc: TicketMoved) -> HttpResponse:
    """A merged ticket: 301 to the ticket it was merged into, ``{"merged_into": id}``."""
    return exc.response(request)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(RequestDataTooBig)
def on_request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, 413, "payload_too_large", _("The request is not valid."))


@api.exception_handler(SuspiciousOperation)
def on_suspicious_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """Too many form fields or files, and the like: the client's request, not our bug."""
    return error_response(request, 400, "bad_request", _("The request is not valid."))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled error in %s %s", request.method, request.path)
    return error_response(request, 500, "internal_error", _("Something went wrong on our side."))


def _json_not_allowed(self: PathView) -> HttpResponse:
    """A known address called with another method (PUT where only PATCH exists) answers a JSON 405.

    Ninja builds its path views itself and answers this in plain text, with no hook to change it; this
    replaces that one method for the whole API, so no endpoint can forget it.
    """
    allowed: set[str] = set()
    for operation in self.operations:
        allowed.update(operation.methods)
    return method_not_allowed(allowed)


PathView._not_allowed = _json_not_allowed  # type: ignore[method-assign]


fallback_router = Router(auth=None)
_ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@fallback_router.api_operation(_ANY_METHOD, "", include_in_schema=False)
def api_root(request: HttpRequest) -> HttpResponse:
    raise Http404


@fallback_router.api_operation(_ANY_METHOD, "/{path:rest}", include_in_schema=False)
def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other URL under the API answers a JSON 404 too, never Django's HTML page."""
    raise Http404


# Before the tickets router: its "/tickets/bulk-reply" must not be read as "/tickets/{ticket_id}".
api.add_router("/tickets", macro_tickets_router)
api.add_router("/tickets", tickets_router)
api.add_router("/saved-views", saved_views_router)
api.add_router("/tickets", ticket_time_router)
api.add_router("/time-entries", time_entries_router)
api.add_router("/tasks", tasks_router)
api.add_router("/contacts", contacts_router)
api.add_router("/accounts", accounts_router)
api.add_router("/custom-fields", customfields_router)
api.add_router("/layouts", layouts_router)
api.add_router("/settings", numbering_router)
api.add_router("/modules", modules_router)
api.add_router("/imports", imports_router)
api.add_router("/exports", exports_router)
api.add_router("/kb", kb_router)
api.add_router("/public", public_router)  # no key: what an anonymous help-center visitor sees
api.add_router("/brands", brands_router)
api.add_router("/search", search_router)
api.add_router("/mail", mail_router)  # its own auth: the intake secret, not an API key
api.add_router("/workflow-rules", workflow_rules_router)
api.add_router("/time-rules", time_rules_router)
api.add_router("/sla-policies", sla_policies_router)
api.add_router("/webhooks", webhooks_router)
api.add_router("/", business_hours_router)
api.add_router("/", notifications_router)
api.add_router("/automation", automation_router)
api.add_router("/", org_router)
api.add_router("/", routing_router)
api.add_router("/", catalog_router)
api.add_router("/", fallback_router)  # last: it matches every path the routers above did not
