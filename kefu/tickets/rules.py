"""The rule hook: where automation runs, synchronously, inside the transaction of the change it reacts to.

Every ticket change-set calls :func:`run_rules` once it is recorded. The automation app registers a
runner (``register_rule_runner``) that decides which rules match and applies their actions through the
ticket services with a Rule actor; whatever those services change becomes a change-set of its own whose
``caused_by`` names the change-set that triggered it. Each runner runs in its own savepoint, so a
failing rule is undone without undoing the change that triggered it, and a chain of rule-caused changes
stops at ``MAX_DEPTH`` (a rule that keeps re-triggering itself cannot loop forever).

A runner may be registered with ``wants``: a check that reads no database (the runners keep their rules
in the per-process catalogue cache) and says whether the runner could act on a change at all. A runner
that does not want a change is not called, and its savepoint is never taken: on a help desk whose rules
do not concern most changes, the hook costs no statement.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from kefu.tickets.services.changes import RecordedChange

logger = logging.getLogger(__name__)

MAX_DEPTH = 5

RuleRunner = Callable[["RecordedChange"], None]
WantsChange = Callable[["RecordedChange"], bool]


@dataclass(frozen=True)
class RuleRunnerRegistration:
    runner: RuleRunner
    wants: WantsChange | None = None

    def applies_to(self, change: RecordedChange) -> bool:
        return self.wants is None or self.wants(change)


_runners: list[RuleRunnerRegistration] = []
_causes: ContextVar[tuple[str, ...]] = ContextVar("kefu_rule_causes", default=())
# Whether the runners running now recorded a change-set: only then must the caller re-read its ticket.
_wrote: ContextVar[list[bool] | None] = ContextVar("kefu_rule_wrote", default=None)


def register_rule_runner(runner: RuleRunner, *, wants: WantsChange | None = None) -> None:
    """Call ``runner`` for every change-set (for those ``wants`` accepts, when given), after those
    registered before it."""
    if all(registration.runner is not runner for registration in _runners):
        _runners.append(RuleRunnerRegistration(runner, wants))


def unregister_rule_runner(runner: RuleRunner) -> None:
    _runners[:] = [registration for registration in _runners if registration.runner is not runner]


def registered_rule_runners() -> tuple[RuleRunnerRegistration, ...]:
    """The runners in the order they run (the automation and SLA apps register theirs when they load)."""
    return tuple(_runners)


def current_cause() -> str | None:
    """The change-set whose rules are running now: what a change made by them was caused by."""
    causes = _causes.get()
    return causes[-1] if causes else None


@contextmanager
def caused_by(change_set: str) -> Iterator[None]:
    """Changes made inside the block are consequences of ``change_set`` (a parent closing its children)."""
    token = _causes.set((*_causes.get(), change_set))
    try:
        yield
    finally:
        _causes.reset(token)


def current_depth() -> int:
    """How many rule-caused change-sets deep the runners running now are (1: reacting to a person's change).

    A runner called at ``MAX_DEPTH`` may still act, but its changes trigger no further rules: the
    automation log says so.
    """
    return len(_causes.get())


def note_rule_write() -> None:
    """A rule recorded a change-set: the ticket the runners were called for may have changed."""
    wrote = _wrote.get()
    if wrote is not None:
        wrote[0] = True


def rules_wrote() -> bool:
    """Whether a runner of the run in progress has recorded a change-set yet: a later runner must then
    re-read the ticket instead of trusting the change's copy."""
    wrote = _wrote.get()
    return bool(wrote and wrote[0])


def run_rules(change: RecordedChange) -> bool:
    """Run every registered runner for ``change``; return whether any of them recorded a change-set (the
    caller's copy of the ticket may then be stale). Runners that only looked cost the caller nothing."""
    if not _runners:
        return False
    causes = _causes.get()
    if len(causes) >= MAX_DEPTH:
        logger.warning(
            "rules stopped at depth %d for change-set %s of ticket %s",
            len(causes),
            change.change_set,
            change.ticket.pk,
        )
        return False
    wrote = [False]
    token = _causes.set((*causes, change.change_set))
    wrote_token = _wrote.set(wrote)
    try:
        for registration in list(_runners):
            if not registration.applies_to(change):
                continue
            try:
                with transaction.atomic():
                    registration.runner(change)
            except Exception:
                logger.exception(
                    "rule runner %r failed on change-set %s", registration.runner, change.change_set
                )
    finally:
        _wrote.reset(wrote_token)
        _causes.reset(token)
    return wrote[0]
