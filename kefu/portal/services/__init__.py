"""The help center's writes: its look, customers' accounts, customers' tickets (via the ticket services)."""

from kefu.portal.services.customers import (
    customer_invite,
    customer_password_reset_request,
    customer_password_set,
    customer_profile_update,
    customer_sign_up,
    customer_verification_resend,
    customer_verify,
)
from kefu.portal.services.help_center import help_center_logo_set, help_center_update
from kefu.portal.services.proof import proof_challenge, proof_check, proof_solve
from kefu.portal.services.tickets import (
    RateLimited,
    SubmissionInput,
    portal_ticket_close,
    portal_ticket_reply,
    portal_ticket_submit,
)

__all__ = [
    "RateLimited",
    "SubmissionInput",
    "customer_invite",
    "customer_password_reset_request",
    "customer_password_set",
    "customer_profile_update",
    "customer_sign_up",
    "customer_verification_resend",
    "customer_verify",
    "help_center_logo_set",
    "help_center_update",
    "portal_ticket_close",
    "portal_ticket_reply",
    "portal_ticket_submit",
    "proof_challenge",
    "proof_check",
    "proof_solve",
]
