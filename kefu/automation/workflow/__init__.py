"""Workflow rules and time rules: their definitions' services, reads, dry run, API and sweep."""
