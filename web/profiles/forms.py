"""Profile, experience, education, skills and settings forms: shapes only."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from pages import queries as pages_queries
from pages.models import PageKind
from profiles.models import (
    ConnectionsVisibleTo,
    FollowersAllowed,
    InvitationsFrom,
    PrimaryAction,
)


class DateInput(forms.DateInput):
    input_type = "date"


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=100)
    headline = forms.CharField(
        label=_("Headline"),
        max_length=220,
        required=False,
        help_text=_("One line under your name, e.g. “Data engineer at Acme”."),
    )
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    about = forms.CharField(
        label=_("About"), max_length=2600, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("Profile photo"),
        help_text=_("JPEG, PNG, WebP or GIF. It is cropped to a square."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )


def _picked(form, field: str, kind: str, max_length: int) -> str:
    """The name in `field`, and in `page_id` the page the member chose from the autocomplete
    ("Name (slug)" where pages share a name), None when typed."""
    name, form.cleaned_data["page_id"] = pages_queries.picked_page(kind, form.cleaned_data[field])
    MaxLengthValidator(max_length)(name)
    return name


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    company = forms.CharField(
        label=_("Company"),
        max_length=260,  # the name (100) with a chosen page's slug
        help_text=_("Pick a company page from the list, or type the name."),
        widget=forms.TextInput(
            attrs={
                "list": "page-suggest-company",
                "autocomplete": "off",
                "hx-get": "/pages/suggest/?kind=company",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#page-suggest-company",
            }
        ),
    )
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    started_on = forms.DateField(label=_("From"), widget=DateInput)
    ended_on = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty if you work here now."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_company(self):
        return _picked(self, "company", PageKind.COMPANY, 100)


class EducationForm(forms.Form):
    school = forms.CharField(
        label=_("School"),
        max_length=310,  # the name (150) with a chosen page's slug
        help_text=_("Pick a school page from the list, or type the name."),
        widget=forms.TextInput(
            attrs={
                "list": "page-suggest-school",
                "autocomplete": "off",
                "hx-get": "/pages/suggest/?kind=school",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#page-suggest-school",
            }
        ),
    )
    degree = forms.CharField(label=_("Degree"), max_length=100, required=False)
    field_of_study = forms.CharField(label=_("Field of study"), max_length=100, required=False)
    start_year = forms.IntegerField(
        label=_("From (year)"), min_value=1900, max_value=2100, required=False
    )
    end_year = forms.IntegerField(
        label=_("To (year)"), min_value=1900, max_value=2100, required=False
    )

    def clean_school(self):
        return _picked(self, "school", PageKind.SCHOOL, 150)


class SkillForm(forms.Form):
    name = forms.CharField(label=_("Skill"), max_length=80)


class SettingsForm(forms.Form):
    primary_action = forms.ChoiceField(
        label=_("Main button on your profile"),
        choices=PrimaryAction.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Connect asks you to accept each person; Follow lets anyone see your public "
            "posts without asking. The other button stays under “More”."
        ),
    )
    followers_allowed = forms.ChoiceField(
        label=_("Who can follow you"),
        choices=FollowersAllowed.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Choosing “Only my connections” also removes your current followers who are "
            "not connected to you."
        ),
    )
    invitations_from = forms.ChoiceField(
        label=_("Who can invite you to connect"),
        choices=InvitationsFrom.choices,
        widget=forms.RadioSelect,
        help_text=_("With the e-mail option, senders must type your e-mail address correctly."),
    )
    connections_visible_to = forms.ChoiceField(
        label=_("Who can see your list of connections"),
        choices=ConnectionsVisibleTo.choices,
        widget=forms.RadioSelect,
        help_text=_("People always see the connections they share with you."),
    )
    open_profile = forms.BooleanField(
        label=_("Open profile"),
        required=False,
        help_text=_("Anyone may message you, without a connection or an InMail credit."),
    )
    refuse_inmail = forms.BooleanField(
        label=_("Refuse InMail"),
        required=False,
        help_text=_(
            "People you aren't connected with can't spend an InMail credit to write to you. "
            "Coworkers and, with an open profile, anyone may still send a message request."
        ),
    )
    discoverable = forms.BooleanField(
        label=_("Show me in alumni and people facets"),
        required=False,
        help_text=_(
            "When off, the alumni tool of company and school pages counts you in no facet "
            "and leaves you out of its list."
        ),
    )
    share_profile_updates = forms.BooleanField(
        label=_("Share profile updates"),
        required=False,
        help_text=_("Tell your network when you add a new position or change your profile."),
    )
    share_network_updates = forms.BooleanField(
        label=_("Share network updates"),
        required=False,
        help_text=_(
            "Allow “You are now connected to …” to be shown. It only appears when both "
            "people allow it."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        # The languages' own names, so anyone finds theirs whatever the page speaks.
        choices=[("", _("The language of your browser")), *settings.LANGUAGES],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Linkwell's pages, e-mails and messages to apps use this language."),
    )
