"""Forms of the knowledge-base console pages: they parse shapes, the services own the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.kb.models import Article, Language
from kefu.org.forms import StyledForm


def _ids(value: str) -> list[int]:
    return [int(part) for part in value.replace("，", ",").split(",") if part.strip().isdigit()]


class ArticleForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    section = forms.TypedChoiceField(label=_("Section"), coerce=int, choices=())
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    body = forms.CharField(label=_("Body"), required=False, widget=forms.HiddenInput)
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas."), max_length=1000
    )
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Article.Visibility.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    translation_of = forms.IntegerField(
        label=_("Translation of article (id)"),
        required=False,
        min_value=1,
        help_text=_("The id of the same article in the other language."),
    )
    related = forms.CharField(
        label=_("Related articles (ids)"),
        required=False,
        help_text=_("Separate ids with commas."),
        max_length=500,
    )
    slug = forms.CharField(label=_("URL slug"), required=False, max_length=120)
    meta_description = forms.CharField(
        label=_("Meta description"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What search engines show under the title."),
    )

    def __init__(self, *args: Any, section_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = section_choices

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "section_id": data["section"],
            "summary": data["summary"],
            "body": data["body"],
            "tags": [tag for tag in data["tags"].replace("，", ",").split(",") if tag.strip()],
            "visibility": data["visibility"],
            "language": data["language"],
            "translation_of": data["translation_of"],
            "related_ids": _ids(data["related"]),
            "slug": data["slug"],
            "meta_description": data["meta_description"],
        }


def article_initial(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "section": article.section_id,
        "summary": article.summary,
        "body": article.body,
        "tags": ", ".join(article.tags),
        "visibility": article.visibility,
        "language": article.language,
        "translation_of": article.translation_of_id,
        "related": ", ".join(str(related.pk) for related in article.related.all()),
        "slug": article.slug,
        "meta_description": article.meta_description,
    }


class CategoryForm(StyledForm):
    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int, choices=())
    name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000)

    def __init__(self, *args: Any, brand_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = brand_choices


class SectionForm(StyledForm):
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, choices=())
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000)

    def __init__(self, *args: Any, category_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices
