"""SLAs: business-hours calendars (with China's holidays and make-up workdays), SLA policies, due dates and
escalations.
"""
