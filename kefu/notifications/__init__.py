"""Notifications: per-department notification rules, zh/en templates rendered in a sandbox, email/SMS/in-
app delivery from the outbox.
"""
