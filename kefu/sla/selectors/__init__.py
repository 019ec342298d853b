"""Reads of the SLA app: calendars (calendars.py) and policies and ticket SLA state (policies.py)."""
