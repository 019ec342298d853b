"""The administrators' pages for brands and their help centers: brand, look, and the home page's
modules (drag to reorder, and for each: everyone, signed-in customers or nobody)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.core.ids import parse_id
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.forms import StyledForm
from kefu.org.selectors import department_list
from kefu.org.services.brands import brand_create, brand_update
from kefu.org.views.common import actor_of, posted, render_settings, site_url
from kefu.portal import selectors, services
from kefu.portal.models import MODULE_KEYS, ModuleVisibility, Theme

MODULE_LABELS = {
    "search": gettext_lazy("Search"),
    "categories": gettext_lazy("Knowledge base categories"),
    "popular": gettext_lazy("Popular articles"),
    "submit_ticket": gettext_lazy("Submit a ticket"),
    "my_tickets": gettext_lazy("My tickets"),
}


class BrandForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    slug = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=64,
        help_text=gettext_lazy("The help center is at /hc/<address>/."),
    )
    default_language = forms.ChoiceField(
        label=gettext_lazy("Default language"), choices=[("zh-hans", "简体中文"), ("en", "English")]
    )
    departments = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Departments"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    allowed_origins = forms.CharField(
        label=gettext_lazy("Web sites that may embed the widget"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One origin a line, such as https://shop.example.com"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(d.pk, d.display_name) for d in department_list()]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "slug": data["slug"],
            "default_language": data["default_language"],
            "department_ids": data["departments"],
            "allowed_origins": [
                line.strip() for line in data["allowed_origins"].splitlines() if line.strip()
            ],
        }


class HelpCenterForm(StyledForm):
    is_enabled = forms.BooleanField(label=gettext_lazy("Published"), required=False)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=150, required=False)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=150, required=False)
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), choices=Theme.choices)
    primary_color = forms.CharField(
        label=gettext_lazy("Main colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    logo = forms.FileField(
        label=gettext_lazy("Logo"),
        required=False,
        help_text=gettext_lazy("PNG, JPEG, GIF or WebP, at most 1 MiB."),
    )
    footer = forms.CharField(
        label=gettext_lazy("Footer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    custom_css = forms.CharField(
        label=gettext_lazy("Custom CSS"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proof_of_work = forms.BooleanField(
        label=gettext_lazy("Proof of work against spam"),
        required=False,
        help_text=gettext_lazy(
            "The visitor's browser solves a small puzzle before a ticket is accepted (no CAPTCHA)."
        ),
    )


def _modules(request: HttpRequest, current: list[dict[str, str]]) -> list[dict[str, str]]:
    if request.method != "POST":
        return current
    order = request.POST.getlist("module")
    return [{"key": key, "visibility": request.POST.get(f"visibility_{key}", "")} for key in order]


@agent_required(permissions.SETTINGS_MANAGE)
def brand_list(request: HttpRequest) -> HttpResponse:
    form = BrandForm(posted(request), prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            brand = brand_create(actor=actor_of(request), source=Source.WEB, values=form.values())
        except ServiceError as error:
            form.apply_service_error(error, {"department_ids": "departments"})
        else:
            messages.success(request, _("The brand is added."))
            return redirect("portal-settings:edit", brand.pk)
    context = {"brands": selectors.brand_list(), "form": form}
    return render_settings(request, "portal/settings/brands.html", context, nav="help-centers",
                           status=422 if form.errors else 200)  # fmt: skip


@agent_required(permissions.SETTINGS_MANAGE)
def brand_edit(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.brand_get(brand_id)
    if brand is None:
        raise Http404
    help_center = selectors.help_center_of(brand)
    brand_form = BrandForm(
        posted(request),
        initial={
            "name": brand.name, "slug": brand.slug, "default_language": brand.default_language,
            "departments": [d.pk for d in brand.departments.all()],
            "allowed_origins": "\n".join(brand.allowed_origins),
        },
    )  # fmt: skip
    hc_form = HelpCenterForm(
        posted(request),
        request.FILES or None,
        initial={name: getattr(help_center, name) for name in HelpCenterForm.base_fields if name != "logo"},
        prefix="hc",
    )
    modules = _modules(request, help_center.modules)
    if request.method == "POST" and brand_form.is_valid() and hc_form.is_valid():
        actor = actor_of(request)
        try:
            brand_update(actor=actor, source=Source.WEB, brand=brand, changes=brand_form.values())
            values = {k: v for k, v in hc_form.cleaned_data.items() if k != "logo"}
            services.help_center_update(
                actor=actor, source=Source.WEB, brand=brand, changes={**values, "modules": modules}
            )
            logo = hc_form.cleaned_data.get("logo")
            if logo:
                services.help_center_logo_set(
                    actor=actor, source=Source.WEB, brand=brand, filename=logo.name, content=logo
                )
        except ServiceError as error:
            brand_form.apply_service_error(error, {"department_ids": "departments"})
            if "modules" in error.fields or any(f in hc_form.fields for f in error.fields):
                hc_form.apply_service_error(error)
        else:
            messages.success(request, _("The help center is saved."))
            return redirect("portal-settings:edit", brand.pk)
    labels = {choice.value: choice.label for choice in ModuleVisibility}
    rows = [
        {
            "key": item["key"],
            "label": MODULE_LABELS.get(item["key"], item["key"]),
            "visibility": item.get("visibility"),
        }
        for item in modules
        if item.get("key") in MODULE_KEYS
    ]
    context = {
        "brand": brand, "help_center": help_center, "brand_form": brand_form, "hc_form": hc_form,
        "modules": rows, "visibilities": list(labels.items()),
    }  # fmt: skip
    status = 422 if (brand_form.errors or hc_form.errors) else 200
    return render_settings(request, "portal/settings/edit.html", context, nav="help-centers", status=status)


@agent_required(permissions.CONTACT_MANAGE)
def contact_invite(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The contact page's help-center card: whether the contact signs in, and the invitation."""
    contact = selectors.contact_get(contact_id)
    if contact is None:
        raise Http404
    context: dict[str, Any] = {"contact": contact, "brands": list(selectors.brand_list())}
    if request.method == "POST":
        brand = selectors.brand_get(parse_id(request.POST.get("brand", "")) or 0)
        if brand is None:
            context["error"] = _("Choose a brand.")
        else:
            try:
                services.customer_invite(
                    actor=actor_of(request),
                    source=Source.WEB,
                    contact=contact,
                    brand=brand,
                    site_url=site_url(request),
                )
            except ServiceError as error:
                context["error"] = error.message
            else:
                context["sent"] = True
    context["customer"] = selectors.customer_of_contact(contact)
    return render(request, "portal/partials/contact_invite_body.html", context)
