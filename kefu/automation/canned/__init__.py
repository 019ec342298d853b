"""Canned replies: searchable snippets inserted into the reply editor."""
