"""Writes for the organisation: departments, teams, agents, profiles, sign-in lock-out, API keys, settings."""

from kefu.org.services import invitations as _invitations  # noqa: F401  (registers the invitation mail)
from kefu.org.services.agents import (
    administrator_ensure,
    agent_create,
    agent_invitation_link,
    agent_invite,
    agent_invite_resend,
    agent_set_active,
    agent_update,
    password_set,
    profile_language_set,
    profile_update,
)
from kefu.org.services.api_keys import (
    API_KEY_PREFIX,
    api_key_authenticate,
    api_key_create,
    api_key_revoke,
)
from kefu.org.services.common import LANGUAGES, require_permission
from kefu.org.services.departments import (
    department_create,
    department_update,
    team_create,
    team_delete,
    team_update,
)
from kefu.org.services.helpdesk import helpdesk_settings_update
from kefu.org.services.sign_in import (
    sign_in_attempt_record,
    sign_in_locked,
    sign_in_succeeded,
    sign_out_record,
)

__all__ = [
    "API_KEY_PREFIX",
    "LANGUAGES",
    "administrator_ensure",
    "agent_create",
    "agent_invitation_link",
    "agent_invite",
    "agent_invite_resend",
    "agent_set_active",
    "agent_update",
    "api_key_authenticate",
    "api_key_create",
    "api_key_revoke",
    "department_create",
    "department_update",
    "helpdesk_settings_update",
    "password_set",
    "profile_language_set",
    "profile_update",
    "require_permission",
    "sign_in_attempt_record",
    "sign_in_locked",
    "sign_in_succeeded",
    "sign_out_record",
    "team_create",
    "team_delete",
    "team_update",
]
