"""Skills: what an agent is good at, so that skill-based assignment finds someone able to solve a ticket."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.i18n import BilingualNameMixin


class Skill(BilingualNameMixin):
    """A competence an agent carries (手机维修, 英语, 发票 …).

    A ``skills`` assignment rule names the skills its tickets need; only agents carrying every one of
    them take their turn. ``agents`` are the agent profiles of ``kefu.org``.
    """

    description = models.TextField(_("description"), blank=True)
    agents = models.ManyToManyField("org.Agent", related_name="skills", blank=True, verbose_name=_("agents"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["name"], name="automation_skill_unique_name")]
