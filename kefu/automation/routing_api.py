"""The REST routers of assignment rules, skills, macros and canned replies, gathered for ``kefu/api.py``.

``router`` is mounted at the API's root (``/assignment-rules``, ``/skills``, ``/agents/{id}/skills``,
``/agents/{id}/share-out``, ``/macros``, ``/canned-replies``); ``tickets_router`` under ``/tickets``
(``POST /tickets/{id}/apply-macro``).
"""

from __future__ import annotations

from ninja import Router

from kefu.automation.assignment.api import router as assignment_router
from kefu.automation.canned.api import router as canned_router
from kefu.automation.macros.api import router as macros_router
from kefu.automation.macros.api import tickets_router
from kefu.automation.skills.api import router as skills_router

router = Router()
router.add_router("", assignment_router)
router.add_router("", skills_router)
router.add_router("", macros_router)
router.add_router("", canned_router)

__all__ = ["router", "tickets_router"]
