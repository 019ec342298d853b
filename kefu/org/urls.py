"""Console pages of the organisation app: sign-in, profile, start page and the settings pages."""

from django.urls import path

from kefu.org.views import api_keys, auth, profile, settings_org

urlpatterns = [
    path("login/", auth.sign_in, name="login"),
    path("logout/", auth.sign_out, name="logout"),
    path("set-password/<uidb64>/<token>/", auth.password_set, name="password-set"),
    path("", auth.home, name="home"),
    path("profile/", profile.profile, name="profile"),
    path("profile/password/", profile.password_change, name="password-change"),
    path("language/", profile.language_switch, name="language-switch"),
    path("settings/", settings_org.settings_index, name="settings"),
    path("settings/departments/", settings_org.departments, name="settings-departments"),
    path(
        "settings/departments/<int:department_id>/",
        settings_org.department_edit,
        name="settings-department-edit",
    ),
    path("settings/teams/", settings_org.teams, name="settings-teams"),
    path("settings/teams/<int:team_id>/", settings_org.team_edit, name="settings-team-edit"),
    path("settings/teams/<int:team_id>/delete/", settings_org.team_delete, name="settings-team-delete"),
    path("settings/agents/", settings_org.agents, name="settings-agents"),
    path("settings/agents/<int:agent_id>/", settings_org.agent_edit, name="settings-agent-edit"),
    path(
        "settings/agents/<int:agent_id>/active/",
        settings_org.agent_set_active,
        name="settings-agent-set-active",
    ),
    path(
        "settings/agents/<int:agent_id>/invite/",
        settings_org.agent_invite_resend,
        name="settings-agent-invite",
    ),
    path(
        "settings/agents/<int:agent_id>/invitation-link/",
        settings_org.agent_invitation_link,
        name="settings-agent-invitation-link",
    ),
    path("settings/general/", settings_org.general, name="settings-general"),
    path("settings/api-keys/", api_keys.api_keys, name="api-keys"),
    path("settings/api-keys/<int:key_id>/revoke/", api_keys.api_key_revoke, name="api-key-revoke"),
]
