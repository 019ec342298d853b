"""Console pages of the SLA app: Settings → SLA policies, and the SLA card on the ticket page."""
