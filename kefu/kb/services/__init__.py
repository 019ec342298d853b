"""The knowledge base's write path: every change to categories, sections and articles goes through here."""

from kefu.kb.services.articles import (
    kb_article_create,
    kb_article_delete,
    kb_article_from_reply,
    kb_article_restore,
    kb_article_set_status,
    kb_article_update,
    kb_article_viewed,
    kb_article_vote,
    kb_attachment_add,
)
from kefu.kb.services.catalog import (
    kb_category_create,
    kb_category_delete,
    kb_category_update,
    kb_section_create,
    kb_section_delete,
    kb_section_update,
)

__all__ = [
    "kb_article_create",
    "kb_article_delete",
    "kb_article_from_reply",
    "kb_article_restore",
    "kb_article_set_status",
    "kb_article_update",
    "kb_article_viewed",
    "kb_article_vote",
    "kb_attachment_add",
    "kb_category_create",
    "kb_category_delete",
    "kb_category_update",
    "kb_section_create",
    "kb_section_delete",
    "kb_section_update",
]
