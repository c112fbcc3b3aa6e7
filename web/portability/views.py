"""Your data (issue 17): bring a LinkedIn export or Mastodon CSVs in, take everything out.

portability's services and queries do the work; these views shape pages. An import's and an
export's pages are its owner's alone: anyone else's id is the 404 (the queries raise it).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import Gone, Refused
from portability import archive, queries, services
from portability.models import ImportKind, JobState

MASTODON_FILES = ("following_accounts", "blocked_accounts", "lists")
PAGE = 50


@login_required
def data_page(request, *, error: str = "", status: int = 200):
    context = {
        "kinds": ImportKind.choices,
        "imports": queries.imports_of(request.user),
        "exports": queries.exports_of(request.user),
        "linkedin_address": queries.linkedin_address_of(request.user),
        "error": error,
        "mastodon_files": MASTODON_FILES,
    }
    return render(request, "web/portability/page.html", context, status=status)


@login_required
@require_POST
def upload(request):
    """Refused files come back to the page with the sentence; nothing was written."""
    try:
        source = services.start_import(
            member=request.user,
            kind=request.POST.get("type", ImportKind.LINKEDIN),
            upload=request.FILES.get("file"),
        )
    except Refused as exc:
        return data_page(request, error=exc.message, status=422)
    return redirect("import_detail", import_id=source.pk)


def _import_context(request, source, *, show_all: bool = False):
    context = {"source": source, "counts": queries.counts(source)}
    if source.state != JobState.DONE:
        return context
    offset = (
        max(int(request.GET.get("offset", "0") or 0), 0)
        if request.GET.get("offset", "0").isdigit()
        else 0
    )
    if source.kind == ImportKind.LINKEDIN:
        lines, total = queries.matches(request.user, source, offset=offset, limit=PAGE)
        context.update(
            preview=queries.profile_preview(request.user, source),
            lines=lines,
            total=total,
            next_offset=offset + PAGE if offset + PAGE < total else None,
            emailable=queries.emailable(source, limit=PAGE),
            found_sentence=ngettext(
                "We found %(found)s of your %(total)s LinkedIn connection.",
                "We found %(found)s of your %(total)s LinkedIn connections.",
                context["counts"].get("connections", 0),
            )
            % {
                "found": context["counts"].get("matched", 0),
                "total": context["counts"].get("connections", 0),
            },
        )
    else:
        context["accounts"] = queries.staged(source, "account")[:PAGE]
    return context


@login_required
def import_page(request, import_id: int):
    source = queries.import_of(request.user, import_id)
    return render(request, "web/portability/import.html", _import_context(request, source))


@login_required
def import_progress(request, import_id: int):
    """The progress bar, polled by htmx while the job runs; done, it asks for the whole page."""
    source = queries.import_of(request.user, import_id)
    response = render(request, "web/portability/_import_progress.html", {"source": source})
    if source.state in (JobState.DONE, JobState.FAILED) and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def apply(request, import_id: int):
    source = queries.import_of(request.user, import_id)
    try:
        if source.kind == ImportKind.LINKEDIN:
            services.apply_profile(
                member=request.user, import_id=source.pk, keep=request.POST.getlist("keep")
            )
            messages.success(request, _("Your profile was updated with what you kept."))
        else:
            done = services.apply_mastodon(member=request.user, import_id=source.pk)
            messages.success(
                request,
                _("Done: %(done)s applied, %(missing)s not on Linkwell, %(refused)s refused.")
                % {"done": done["done"], "missing": done["not_found"], "refused": done["refused"]},
            )
    except Refused as exc:
        messages.error(request, exc.message)
    return redirect("import_detail", import_id=source.pk)


@login_required
@require_POST
def invite(request, import_id: int):
    """X1: only the members ticked on the page."""
    queries.import_of(request.user, import_id)  # anyone else's: the 404
    try:
        result = services.invite_matches(
            member=request.user, import_id=import_id, account_ids=request.POST.getlist("account")
        )
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("import_detail", import_id=import_id)
    sent = len(result["invited"])
    if sent:
        messages.success(
            request,
            ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", sent) % {"n": sent},
        )
    for refusal in result["refused"]:
        messages.error(request, refusal["error"])
    if result["stopped"]:
        messages.error(request, result["stopped"]["error"])
    return redirect("import_detail", import_id=import_id)


@login_required
@require_POST
def invite_to_join(request, import_id: int):
    queries.import_of(request.user, import_id)
    try:
        result = services.invite_to_join(
            member=request.user,
            import_id=import_id,
            lines=request.POST.getlist("line"),
            join_link=request.build_absolute_uri(reverse("signup")),
        )
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("import_detail", import_id=import_id)
    count = result["sent"] + result["skipped"]
    messages.success(
        request,
        ngettext("%(n)s person was asked to join.", "%(n)s people were asked to join.", count)
        % {"n": count},
    )
    if result["stopped"]:
        messages.error(request, result["stopped"]["error"])
    return redirect("import_detail", import_id=import_id)


@login_required
@require_POST
def linkedin_address(request):
    try:
        services.set_linkedin_address(member=request.user, address=request.POST.get("address", ""))
    except Refused as exc:
        return data_page(request, error=exc.message, status=422)
    messages.success(request, _("Your LinkedIn address was saved."))
    return redirect("portability")


@login_required
@require_POST
def request_export(request):
    services.request_export(member=request.user)
    messages.success(request, _("Your export is being prepared; it will appear below when ready."))
    return redirect("portability")


@login_required
def export_progress(request, export_id: int):
    export = queries.export_of(request.user, export_id)
    response = render(request, "web/portability/_export.html", {"export": export})
    if export.state in (JobState.DONE, JobState.FAILED) and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
def download_export(request, export_id: int):
    """X2: the owner's, inside its 7 days; anyone else gets the 404, the owner of a lapsed
    link the Your data page saying so (410), where a new export is one click away."""
    try:
        export = queries.downloadable_export(request.user, export_id)
    except Gone as exc:
        return data_page(request, error=exc.message, status=410)
    response = FileResponse(
        open(queries.export_path(export), "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=f"linkwell-export-{request.user.username}-{export.pk}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _attachment(text: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def connections_vcard(request):
    """Your connections as vCards, with what each shows to connections."""
    part = archive.network_part(request.user)
    return _attachment(
        part.files["connections.vcf"], "connections.vcf", "text/vcard; charset=utf-8"
    )


@login_required
def mastodon_csv(request, name: str):
    if name not in MASTODON_FILES:
        raise Http404
    # lists.csv holds the member's tags (A1: a tag is a Mastodon list), relationships' part
    part_of = archive.notes_and_tags_part if name == "lists" else archive.network_part
    part = part_of(request.user)
    return _attachment(part.files[f"{name}.csv"], f"{name}.csv", "text/csv; charset=utf-8")
