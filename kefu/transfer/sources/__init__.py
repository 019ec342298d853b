"""Where items come from: a mapped CSV/XLSX table, a Zendesk export or a Zoho Desk export.

Each source yields the same items in the same order every time it reads the same file, which is what
makes the checkpoint (a count of rows) a position to resume from.
"""

from kefu.transfer.sources.tabular import tabular_items, tabular_size
from kefu.transfer.sources.zendesk import zendesk_items, zendesk_size
from kefu.transfer.sources.zoho import zoho_items, zoho_size

__all__ = ["tabular_items", "tabular_size", "zendesk_items", "zendesk_size", "zoho_items", "zoho_size"]
