"""Brands' help centers and the customers who sign in to them.

A brand (``org.Brand``) has at most one help center: its look (theme, colour, logo, custom CSS,
footer) and its home page's modules. A customer who signs in is a ``User`` without an agent profile,
linked one-to-one to the ``Contact`` the help desk knows; everything they do goes through the
ticket services with that contact as the actor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    CLASSIC = "classic", _("Classic")
    OCEAN = "ocean", _("Ocean")
    FOREST = "forest", _("Forest")
    NIGHT = "night", _("Night")


class ModuleVisibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    CUSTOMERS = "customers", _("Signed-in customers")
    NOBODY = "nobody", _("Nobody")


MODULE_KEYS = ("search", "categories", "popular", "submit_ticket", "my_tickets")


def default_modules() -> list[dict[str, str]]:
    return [
        {"key": "search", "visibility": "everyone"},
        {"key": "categories", "visibility": "everyone"},
        {"key": "popular", "visibility": "everyone"},
        {"key": "submit_ticket", "visibility": "everyone"},
        {"key": "my_tickets", "visibility": "customers"},
    ]


class HelpCenter(models.Model):
    """How a brand's help center looks and what its home page shows, in which order, to whom."""

    brand = models.OneToOneField("org.Brand", on_delete=models.CASCADE, related_name="help_center")
    is_enabled = models.BooleanField(_("published"), default=True)
    title = models.CharField(_("title"), max_length=150, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=150, blank=True)
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices, default=Theme.CLASSIC)
    primary_color = models.CharField(_("main colour"), max_length=7, default="#206bc4")
    logo = models.FileField(_("logo"), upload_to="helpcenter/", blank=True)
    custom_css = models.TextField(_("custom CSS"), blank=True)
    footer = models.TextField(_("footer"), blank=True)
    modules = models.JSONField(_("home-page modules"), default=default_modules)
    proof_of_work = models.BooleanField(
        _("proof of work against spam"),
        default=False,
        help_text=_("The visitor's browser solves a small puzzle before a ticket is accepted (no CAPTCHA)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("help center")
        verbose_name_plural = _("help centers")

    def __str__(self) -> str:
        return self.title or str(self.brand)


class Customer(models.Model):
    """A contact's sign-in to the help centers (one login for every brand of the installation)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer")
    contact = models.OneToOneField("contacts.Contact", on_delete=models.CASCADE, related_name="customer")
    signed_up_brand = models.ForeignKey(
        "org.Brand", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=16, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("help-center customer")
        verbose_name_plural = _("help-center customers")

    def __str__(self) -> str:
        return str(self.user)


class Submission(models.Model):
    """A ticket sent through a help center or widget: the rate limit and proof-of-work replay guard."""

    brand = models.ForeignKey("org.Brand", on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    email = models.CharField(max_length=254, blank=True)
    proof = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("help-center submission")
        verbose_name_plural = _("help-center submissions")
        indexes = [models.Index(fields=["ip_address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.brand_id} {self.ip_address} {self.created_at:%Y-%m-%d %H:%M}"
