"""What the modules services share: the access check for every kind of actor."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind
from kefu.core.errors import NotFound, PermissionDenied
from kefu.modules.selectors import Level, ModuleDefinition, module_definition, module_level


def require_level(actor: Actor, definition: ModuleDefinition, level: int) -> None:
    """Agents by their role's level in the module; the system (imports, the CLI) may do anything; every
    other kind of actor (contacts, rules, SLAs, blueprints) nothing, since no definition of theirs
    touches modules. An agent who may not read the module is told it does not exist."""
    if actor.kind is ActorKind.SYSTEM:
        return
    if actor.kind is not ActorKind.AGENT:
        raise PermissionDenied(_("You do not have permission to do this."))
    held = module_level(actor.user, definition.id)
    if held < Level.READ:
        raise NotFound(_("No such module."))
    if held < level:
        raise PermissionDenied(_("You do not have permission to do this."))


def definition_of(key: str) -> ModuleDefinition:
    definition = module_definition(key)
    if definition is None:
        raise NotFound(_("No such module."))
    return definition
