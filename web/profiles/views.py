"""/in/<handle>/ and its edit page, and /settings/: forms in, services and queries out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import Refused
from core.i18n import use_language
from membership import queries as membership_queries
from membership import services as membership
from network import queries as network_queries
from pages import queries as pages_queries
from profiles import services
from profiles.queries import initials, with_details
from web.network.badges import viewpoint
from web.network.panels import profile_panels
from web.profiles.forms import (
    AvatarForm,
    EducationForm,
    PositionForm,
    ProfileForm,
    SettingsForm,
    SkillForm,
)
from web.relationships.views import private_context

OWN_PROFILE_ONLY = _("You can only edit your own profile.")
PROFILE_SAVED = _("Your profile was saved.")
PHOTO_SAVED = _("Your profile photo was updated.")
PHOTO_REMOVED = _("Your profile photo was removed.")
SETTINGS_SAVED = _("Your settings were saved.")


def profile(request, handle: str):
    """S1, B1: what the page shows comes from the same read as the API's Account entity."""
    viewer = request.user if request.user.is_authenticated else None
    view = membership_queries.visible_profile(viewer, handle=handle, view=viewpoint(request))
    member = with_details(view.member)
    _with_pages(view.positions, view.education)
    context = {
        "member": member,
        "view": view,
        "initials": initials(member),
        "is_owner": viewer is not None and viewer.pk == member.pk,
        "public_view": not view.full,
    }
    context.update(profile_panels(request, member, counts=view.counts))
    if view.full and context["net"]:  # A1–A4: what only the viewer keeps about this member
        context["private"] = private_context(request, member, relationship=context["net"]["rel"])
    if context["is_owner"]:  # others see the counts in the network panel
        context["own_counts"] = view.counts
    return render(request, "web/profiles/profile.html", context)


def _with_pages(positions, education) -> None:
    """G3: each position's and school's page (its logo and link), two queries in all."""
    positions = [p for p in positions if getattr(p, "pk", None)]
    linked = pages_queries.position_pages([p.pk for p in positions])
    for position in positions:
        position.linked_page = linked.get(position.pk)
    schools = pages_queries.education_pages([e.pk for e in education])
    for entry in education:
        entry.linked_page = schools.get(entry.pk)


def _own_member(request, handle: str):
    """Only the member edits their profile: unknown handles 404, someone else's 403."""
    member = network_queries.visible_member(request.user, handle=handle).member
    if member.pk != request.user.pk:
        raise PermissionDenied(OWN_PROFILE_ONLY)
    return with_details(member)


def _edit_context(member, **forms):
    profile = member.profile
    positions, education = list(member.positions.all()), list(member.education.all())
    _with_pages(positions, education)
    context = {
        "member": member,
        "profile": profile,
        "initials": initials(member),
        "positions": positions,
        "education": education,
        "skills": member.skills.all(),
        "profile_form": ProfileForm(
            initial={
                "display_name": member.display_name,
                "headline": profile.headline,
                "location": profile.location,
                "industry": profile.industry,
                "about": profile.about,
            }
        ),
        "avatar_form": AvatarForm(),
        "position_form": PositionForm(prefix="position"),
        "education_form": EducationForm(prefix="education"),
        "skill_form": SkillForm(prefix="skill"),
    }
    context.update(forms)
    return context


@login_required
def edit(request, handle: str):
    member = _own_member(request, handle)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.update_profile(member=member, **form.cleaned_data)
            except Refused as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, PROFILE_SAVED)
                return redirect("profile_edit", handle=member.username)
        context = _edit_context(member, profile_form=form)
        return render(request, "web/profiles/edit.html", context, status=400)
    return render(request, "web/profiles/edit.html", _edit_context(member))


@login_required
@require_POST
def avatar(request, handle: str):
    member = _own_member(request, handle)
    if request.POST.get("remove"):
        services.remove_avatar(member=member)
        messages.success(request, PHOTO_REMOVED)
        return redirect("profile_edit", handle=member.username)
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.set_avatar(member=member, upload=form.cleaned_data["avatar"])
        except Refused as exc:
            form.add_error("avatar", exc.message)
        else:
            messages.success(request, PHOTO_SAVED)
            return redirect("profile_edit", handle=member.username)
    context = _edit_context(member, avatar_form=form)
    return render(request, "web/profiles/edit.html", context, status=400)


# --- Inline sections: htmx swaps the fragment; without JS the full page round-trips -------

SECTIONS = {
    "positions": {
        "prefix": "position",
        "form": PositionForm,
        "form_name": "position_form",
        "fragment": "web/profiles/_position_list.html",
        "add": membership.add_position,  # with its page (G3)
        "remove": lambda member, pk: services.remove_position(member=member, position_id=pk),
    },
    "education": {
        "prefix": "education",
        "form": EducationForm,
        "form_name": "education_form",
        "fragment": "web/profiles/_education_list.html",
        "add": membership.add_education,
        "remove": lambda member, pk: services.remove_education(member=member, education_id=pk),
    },
    "skills": {
        "prefix": "skill",
        "form": SkillForm,
        "form_name": "skill_form",
        "fragment": "web/profiles/_skill_list.html",
        "add": services.add_skill,
        "remove": lambda member, pk: services.remove_skill(member=member, skill_id=pk),
    },
}


def _section_response(request, member, section: str, form=None, status: int = 200):
    spec = SECTIONS[section]
    fresh = with_details(network_queries.visible_member(request.user, pk=member.pk).member)
    forms = {spec["form_name"]: form} if form is not None else {}
    context = _edit_context(fresh, **forms)
    if request.htmx:
        return render(request, spec["fragment"], context)
    if form is not None and form.errors:
        return render(request, "web/profiles/edit.html", context, status=status)
    return redirect(f"/in/{member.username}/edit/#{section}")


@login_required
@require_POST
def section_add(request, handle: str, section: str):
    if section not in SECTIONS:
        raise Http404
    member = _own_member(request, handle)
    spec = SECTIONS[section]
    form = spec["form"](request.POST, prefix=spec["prefix"])
    if form.is_valid():
        try:
            spec["add"](member=member, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            return _section_response(request, member, section)
    return _section_response(request, member, section, form=form, status=400)


@login_required
@require_POST
def section_remove(request, handle: str, section: str, pk: int):
    if section not in SECTIONS:
        raise Http404
    member = _own_member(request, handle)
    SECTIONS[section]["remove"](member, pk)
    return _section_response(request, member, section)


@login_required
def settings_page(request):
    profile = request.user.profile
    names = list(SettingsForm.base_fields)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                membership.update_settings(member=request.user, **form.cleaned_data)
            except Refused as exc:
                form.add_error(None, exc.message)
            else:
                # A new language speaks at once, from this confirmation on.
                use_language(request, form.cleaned_data.get("language", ""))
                messages.success(request, SETTINGS_SAVED)
                return redirect("settings")
        return render(request, "web/profiles/settings.html", {"form": form}, status=400)
    form = SettingsForm(initial={name: getattr(profile, name) for name in names})
    return render(request, "web/profiles/settings.html", {"form": form})
