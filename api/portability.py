"""Issue 17's API (Linkwell extensions, docs/api.md): POST /api/v1/imports, GET
/api/v1/imports/:id, its matches, apply and invite; POST /api/v1/exports, GET
/api/v1/exports/:id. Each import and export is its owner's alone (another member's id is a
404). portability's services and queries do the work; this module only translates."""

from django.conf import settings
from django.urls import reverse
from ninja import Router, Schema

from api.auth import member_auth, require_scope
from api.payload import as_bool, as_list, payload
from api.schemas import iso
from api.schemas.accounts import Account, account_entities
from core.errors import RateLimited
from portability import queries, services
from portability.models import Export, Import

router = Router(tags=["portability"])

UPLOAD_FORM = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "type"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "type": {
                            "type": "string",
                            "enum": [
                                "linkedin",
                                "mastodon_following",
                                "mastodon_blocks",
                                "mastodon_lists",
                            ],
                        },
                    },
                }
            }
        }
    }
}


class ImportEntity(Schema):
    id: str
    type: str
    state: str
    progress: int
    counts: dict
    error: str | None
    filename: str
    created_at: str
    finished_at: str | None


class Match(Schema):
    line: int
    name: str
    company: str
    position: str
    connected_on: str | None
    strength: str | None
    account: Account | None
    connected: bool
    invited: bool
    can_email: bool


class Matches(Schema):
    total: int
    matches: list[Match]


class Refusal(Schema):
    account_id: str
    error: str
    rule: str | None


class Stop(Schema):
    error: str
    rule: str | None
    until: str | None


class InviteResult(Schema):
    invited: list[str]
    refused: list[Refusal]
    stopped: Stop | None


class ApplyResult(Schema):
    applied: dict


class ExportEntity(Schema):
    id: str
    state: str
    progress: int
    error: str | None
    url: str | None
    expires_at: str | None
    created_at: str


def import_entity(source: Import) -> dict:
    return {
        "id": str(source.pk),
        "type": source.kind,
        "state": source.state,
        "progress": source.progress,
        "counts": queries.counts(source),
        "error": source.error or None,
        "filename": source.filename,
        "created_at": iso(source.created_at),
        "finished_at": iso(source.finished_at),
    }


def export_entity(export: Export) -> dict:
    done = export.state == "done"
    url = settings.SITE_URL + reverse("export_download", args=[export.pk]) if done else None
    return {
        "id": str(export.pk),
        "state": export.state,
        "progress": export.progress,
        "error": export.error or None,
        "url": url,
        "expires_at": iso(export.expires_at),
        "created_at": iso(export.created_at),
    }


@router.post(
    "/v1/imports",
    auth=member_auth,
    response=ImportEntity,
    openapi_extra=UPLOAD_FORM,
    summary="Upload a LinkedIn export or a Mastodon CSV to import (X1)",
)
def create_import(request):
    require_scope(request, "write:accounts")
    data, files = payload(request)
    source = services.start_import(
        member=request.auth, kind=str(data.get("type") or "linkedin"), upload=files.get("file")
    )
    source.refresh_from_db()
    return import_entity(source)


@router.get("/v1/imports/{import_id}", auth=member_auth, response=ImportEntity)
def get_import(request, import_id: str):
    require_scope(request, "read:accounts")
    return import_entity(queries.import_of(request.auth, import_id))


def _int(value, default: int, maximum: int) -> int:
    try:
        return min(max(int(value), 0), maximum)
    except (TypeError, ValueError):
        return default


@router.get("/v1/imports/{import_id}/matches", auth=member_auth, response=Matches)
def get_matches(request, import_id: str):
    """X1: matched members as Account entities, never with an address; `all=true` adds the
    unmatched contacts (name, company and whether they may be asked to join)."""
    require_scope(request, "read:accounts")
    source = queries.import_of(request.auth, import_id)
    lines, total = queries.matches(
        request.auth,
        source,
        offset=_int(request.GET.get("offset"), 0, 10**6),
        limit=_int(request.GET.get("limit"), 40, 200) or 40,
        found_only=not as_bool("all", request.GET.get("all", "false")),
    )
    entities = {
        int(e["id"]): e
        for e in account_entities(
            [line.view.member for line in lines if line.view], viewer=request.auth
        )
    }
    return {
        "total": total,
        "matches": [
            {
                "line": line.row.line,
                "name": line.row.name,
                "company": line.row.company,
                "position": line.row.position,
                "connected_on": line.row.connected_on.isoformat()
                if line.row.connected_on
                else None,
                "strength": line.row.strength or None,
                "account": entities.get(line.view.member.pk) if line.view else None,
                "connected": line.connected,
                "invited": line.row.invited_at is not None,
                "can_email": line.can_email,
            }
            for line in lines
        ],
    }


@router.post("/v1/imports/{import_id}/invite", auth=member_auth, response=InviteResult)
def invite(request, import_id: str):
    """X1: invitations to the picked `account_ids[]` among this import's matches (N5, N6)."""
    require_scope(request, "write:follows")
    data, _ = payload(request)
    result = services.invite_matches(
        member=request.auth, import_id=import_id, account_ids=as_list(data.get("account_ids"))
    )
    stopped = result["stopped"]
    if stopped and not result["invited"]:
        raise RateLimited(stopped["error"], rule=stopped["rule"], until=stopped["until"])
    return {
        "invited": [str(pk) for pk in result["invited"]],
        "refused": [{**r, "account_id": str(r["account_id"])} for r in result["refused"]],
        "stopped": {**stopped, "error": str(stopped["error"]), "until": iso(stopped["until"])}
        if stopped
        else None,
    }


@router.post("/v1/imports/{import_id}/apply", auth=member_auth, response=ApplyResult)
def apply(request, import_id: str):
    """LinkedIn: the profile parts kept (`fields[]`: display_name, headline, about, industry,
    location, positions, education, skills). Mastodon: the follows or blocks, all of them."""
    require_scope(request, "write:accounts")
    data, _ = payload(request)
    source = queries.import_of(request.auth, import_id)
    if source.kind == "linkedin":
        applied = services.apply_profile(
            member=request.auth, import_id=source.pk, keep=as_list(data.get("fields"))
        )
    else:
        applied = services.apply_mastodon(member=request.auth, import_id=source.pk)
    return {"applied": applied}


@router.post("/v1/exports", auth=member_auth, response=ExportEntity)
def create_export(request):
    """X2: build the member's archive; `url` appears when `state` is done (7 days, owner only)."""
    require_scope(request, "read:accounts")
    export = services.request_export(member=request.auth)
    export.refresh_from_db()
    return export_entity(export)


@router.get("/v1/exports/{export_id}", auth=member_auth, response=ExportEntity)
def get_export(request, export_id: str):
    require_scope(request, "read:accounts")
    return export_entity(queries.export_of(request.auth, export_id))
