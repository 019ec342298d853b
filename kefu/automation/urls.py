"""Console pages of workflow and time rules (mounted at the site root, like the other settings pages)."""

from django.urls import path

from kefu.automation.views import rules

urlpatterns = []
for kind, prefix in (("workflow", "settings/workflow-rules/"), ("time", "settings/time-rules/")):
    urlpatterns += [
        path(prefix, rules.rule_list, {"kind": kind}, name=f"settings-{kind}-list"),
        path(f"{prefix}new/", rules.rule_new, {"kind": kind}, name=f"settings-{kind}-new"),
        path(f"{prefix}reorder/", rules.rules_reorder, {"kind": kind}, name=f"settings-{kind}-reorder"),
        path(f"{prefix}dry-run/", rules.rule_dry_run, {"kind": kind}, name=f"settings-{kind}-dry-run"),
        path(f"{prefix}<int:rule_id>/", rules.rule_edit, {"kind": kind}, name=f"settings-{kind}-edit"),
        path(
            f"{prefix}<int:rule_id>/delete/",
            rules.rule_delete,
            {"kind": kind},
            name=f"settings-{kind}-delete",
        ),
        path(
            f"{prefix}<int:rule_id>/enabled/",
            rules.rule_toggle,
            {"kind": kind},
            name=f"settings-{kind}-toggle",
        ),
    ]
