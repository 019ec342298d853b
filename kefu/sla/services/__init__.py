"""Writes of the SLA app: calendars (calendars.py), policies (policies.py), ticket timers (timers.py) and
escalations (escalations.py)."""
