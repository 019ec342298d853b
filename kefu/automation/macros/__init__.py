"""Macros: named bundles of actions an agent applies to one ticket or a selection of tickets."""
