"""The automation app's data, one module per concept (workflow rules, time rules, the execution log …)."""

from kefu.automation.models.assignment import AssignmentPointer, AssignmentRule, AssignmentRuleAgent
from kefu.automation.models.canned import CannedReply
from kefu.automation.models.macros import Macro
from kefu.automation.models.runs import RuleRun
from kefu.automation.models.skills import Skill
from kefu.automation.models.time_rules import TimeRule, TimeRuleEpisode
from kefu.automation.models.workflow import Trigger, WorkflowRule

__all__ = [
    "AssignmentPointer",
    "AssignmentRule",
    "AssignmentRuleAgent",
    "CannedReply",
    "Macro",
    "RuleRun",
    "Skill",
    "TimeRule",
    "TimeRuleEpisode",
    "Trigger",
    "WorkflowRule",
]
