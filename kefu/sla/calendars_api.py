"""REST endpoints for business-hours calendars (``/business-hours``) and the Chinese holiday preview
(``/holidays/cn``).
"""

from ninja import Router

router = Router(tags=["business hours"])
