from django import forms
from django.utils.translation import gettext_lazy as _

from pages.models import PageKind, SizeBand


class PageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    tagline = forms.CharField(label=_("Tagline"), max_length=120, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    size_band = forms.ChoiceField(label=_("Company size"), choices=SizeBand.choices, required=False)
    headquarters = forms.CharField(label=_("Headquarters"), max_length=100, required=False)
    locations = forms.CharField(
        label=_("Locations"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line."),
    )
    about = forms.CharField(
        label=_("About"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    logo = forms.ImageField(label=_("Logo"), required=False)
    cover = forms.ImageField(label=_("Cover image"), required=False)


class NewPageForm(PageForm):
    kind = forms.ChoiceField(
        label=_("Kind of page"), choices=PageKind.choices, widget=forms.RadioSelect
    )
    slug = forms.SlugField(
        label=_("Page address"),
        max_length=100,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name when left empty."),
    )

    field_order = ["kind", "name", "slug"]
