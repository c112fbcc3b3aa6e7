"""Reading what LinkedIn and Mastodon write, refusing anything else before a row is kept.

Pure Python over bytes: no database. Every refusal is `Unreadable` with a sentence the
member can act on; the services turn it into `core.errors.Invalid`, so a bad file writes
nothing (docs/portability.md, "Bad input").
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

NOT_A_ZIP_OR_CSV = _(
    "That file is neither a ZIP nor a CSV file; upload LinkedIn's ZIP or one of its CSV files."
)
TOO_BIG = _(
    "That file is larger than {limit} MB; upload LinkedIn's ZIP as it came, or one CSV file of it."
)
NOT_UTF8 = _("{name} is not UTF-8 text; save it as UTF-8 and upload it again.")
UNSAFE_PATH = _("That ZIP holds a file outside its own folder ({name}); it was not read.")
ZIP_BOMB = _("That ZIP unpacks to more than {limit} MB; it was not read.")
BROKEN_ZIP = _("That ZIP is damaged and can't be opened; download it from LinkedIn again.")
NOTHING_KNOWN = _(
    "That upload holds none of LinkedIn's files (such as Connections.csv or Profile.csv)."
)
MISSING_COLUMNS = _("{name} has no column {columns}, so it is not the file LinkedIn writes.")
UNKNOWN_CSV = _(
    "{name} is not one of LinkedIn's files we read (Profile.csv, Positions.csv, Education.csv, "
    "Skills.csv, Connections.csv, Invitations.csv, Company Follows.csv, Member_Follows.csv)."
)
NOT_MASTODON = _(
    "{name} is not a Mastodon export: each line must start with an account address such as "
    "ana@example.social."
)

MAX_UNPACKED_RATIO = 200  # a CSV compresses 5-20x; 200x is a bomb, not text
CSV_LIMIT = 10_000_000  # the csv module's field limit: a long summary or message, never more

csv.field_size_limit(CSV_LIMIT)


class Unreadable(ValueError):
    """A file we refuse, and the sentence that says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Layout:
    """One of LinkedIn's files: the section its rows go to, the columns it must have."""

    section: str
    required: tuple[str, ...]


LINKEDIN_FILES = {
    "profile.csv": Layout("profile", ("First Name", "Last Name")),
    "positions.csv": Layout("position", ("Company Name", "Title", "Started On")),
    "education.csv": Layout("education", ("School Name",)),
    "skills.csv": Layout("skill", ("Name",)),
    "connections.csv": Layout("connection", ("First Name", "Last Name", "URL")),
    "invitations.csv": Layout("invitation", ("From", "To", "Direction")),
    "company follows.csv": Layout("company_follow", ("Organization",)),
    "member_follows.csv": Layout("member_follow", ("FullName",)),
}


@dataclass
class Parsed:
    """Rows by section, each `(line, {column: value})`; `files` the names read."""

    sections: dict[str, list[tuple[int, dict]]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def rows(self, section: str) -> list[tuple[int, dict]]:
        return self.sections.get(section, [])


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(NOT_UTF8.format(name=name)) from exc


def _records(text: str) -> list[list[str]]:
    """CSV records (quoted commas, newlines, CRLF), dropping blank lines."""
    return [row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)]


def _table(name: str, text: str, layout: Layout) -> list[tuple[int, dict]]:
    """The rows under the header. Connections.csv opens with a "Notes:" preamble, so the
    header is the first record naming the first required column."""
    records = _records(text)
    first = layout.required[0]
    header_at = next((i for i, row in enumerate(records) if row and row[0].strip() == first), None)
    header = [c.strip() for c in records[header_at]] if header_at is not None else []
    missing = [c for c in layout.required if c not in header]
    if missing:
        raise Unreadable(MISSING_COLUMNS.format(name=name, columns=", ".join(missing)))
    rows = []
    for number, record in enumerate(records[header_at + 1 :], start=1):
        values = {
            col: (record[i].strip() if i < len(record) else "") for i, col in enumerate(header)
        }
        rows.append((number, values))
    return rows


def _layout_for(name: str, text: str) -> Layout:
    key = name.rsplit("/", 1)[-1].lower()
    if key in LINKEDIN_FILES:
        return LINKEDIN_FILES[key]
    # A renamed file: known by its header (Connections.csv's header may follow notes).
    for layout in LINKEDIN_FILES.values():
        for row in _records(text)[:10]:
            if all(c in [x.strip() for x in row] for c in layout.required):
                return layout
    raise Unreadable(UNKNOWN_CSV.format(name=name.rsplit("/", 1)[-1]))


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """Unpack at most `budget` bytes whatever the header claims (a bomb may lie)."""
    with archive.open(info) as stream:
        data = stream.read(budget + 1)
    if len(data) > budget:
        raise Unreadable(ZIP_BOMB.format(limit=budget // (1024 * 1024)))
    return data


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return not (name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name))


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise Unreadable(TOO_BIG.format(limit=limit // (1024 * 1024)))


def read_linkedin(name: str, raw: bytes, *, limit: int) -> Parsed:
    """LinkedIn's "Get a copy of your data" ZIP, or one of its CSV files alone."""
    check_size(len(raw), limit)
    parsed = Parsed()
    if raw[:4] == b"PK\x03\x04" or zipfile.is_zipfile(io.BytesIO(raw)):
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise Unreadable(BROKEN_ZIP) from exc
        for info in infos:
            if not _safe_name(info.filename):
                raise Unreadable(UNSAFE_PATH.format(name=info.filename))
        budget = limit * 4  # what all of LinkedIn's files may unpack to
        claimed = sum(i.file_size for i in infos)
        if claimed > budget or any(
            i.compress_size and i.file_size / i.compress_size > MAX_UNPACKED_RATIO
            for i in infos
            if i.file_size > 1024 * 1024
        ):
            raise Unreadable(ZIP_BOMB.format(limit=budget // (1024 * 1024)))
        for info in infos:
            key = info.filename.rsplit("/", 1)[-1].lower()
            if info.is_dir() or key not in LINKEDIN_FILES:
                continue  # LinkedIn's other files (ads, logins...) are not read
            try:
                data = _bounded_read(archive, info, budget)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise Unreadable(BROKEN_ZIP) from exc
            budget -= len(data)
            _add(parsed, info.filename.rsplit("/", 1)[-1], _decode(key, data))
        if not parsed.files:
            raise Unreadable(NOTHING_KNOWN)
        return parsed
    if not name.lower().endswith(".csv") and b"," not in raw[:4096]:
        raise Unreadable(NOT_A_ZIP_OR_CSV)
    if b"\x00" in raw[:4096]:
        raise Unreadable(NOT_A_ZIP_OR_CSV)
    _add(parsed, name.rsplit("/", 1)[-1] or "file.csv", _decode(name, raw))
    return parsed


def _add(parsed: Parsed, name: str, text: str) -> None:
    layout = _layout_for(name, text)
    parsed.sections.setdefault(layout.section, []).extend(_table(name, text, layout))
    parsed.files.append(name)


# --- Values as LinkedIn writes them ------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def linkedin_date(text: str) -> date | None:
    """ "12 Mar 2021", "Mar 2021", "2021", "2021-03-12"; None for anything else."""
    text = (text or "").strip()
    if not text:
        return None
    parts = text.replace(",", " ").split()
    try:
        if len(parts) == 3 and parts[1][:3].lower() in _MONTHS:
            return date(int(parts[2]), _MONTHS[parts[1][:3].lower()], int(parts[0]))
        if len(parts) == 2 and parts[0][:3].lower() in _MONTHS:
            return date(int(parts[1]), _MONTHS[parts[0][:3].lower()], 1)
        if len(parts) == 1 and re.fullmatch(r"\d{4}", parts[0]):
            return date(int(parts[0]), 1, 1)
        return datetime.strptime(text[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


def linkedin_slug(url: str) -> str:
    """The profile's name in "https://www.linkedin.com/in/ana-lopez-12/" ("ana-lopez-12"),
    folded to lower case; "" when the text is no LinkedIn profile address."""
    found = re.search(r"linkedin\.com/in/([^/?#\s]+)", (url or "").strip(), re.IGNORECASE)
    if not found:
        bare = (url or "").strip().strip("/")
        return bare.lower() if re.fullmatch(r"[A-Za-z0-9\-_%]{3,100}", bare) else ""
    return found.group(1).lower()[:100]


def linkedin_month(day: date | None) -> str:
    """How LinkedIn's Positions.csv writes a date: "Mar 2021"."""
    return day.strftime("%b %Y") if day else ""


def linkedin_day(day: date | None) -> str:
    """How LinkedIn's Connections.csv writes a date: "12 Mar 2021"."""
    return f"{day.day:02d} {day.strftime('%b %Y')}" if day else ""


# --- Mastodon's CSV files -----------------------------------------------------------------

MASTODON_FOLLOWING_HEADER = ["Account address", "Show boosts", "Notify on new posts", "Languages"]
_ACCT = re.compile(r"\A@?[A-Za-z0-9_]{1,30}(@[A-Za-z0-9.\-]+(:\d+)?)?\Z")


def read_mastodon(name: str, raw: bytes, *, kind: str, limit: int) -> list[tuple[int, dict]]:
    """following_accounts.csv (a header, then `acct,boosts,notify,languages`),
    blocked_accounts.csv (one address a line, no header) or lists.csv (`list,acct`, no
    header). Rows are `{"list": ..., "acct": ...}`."""
    check_size(len(raw), limit)
    if raw[:4] == b"PK\x03\x04" or b"\x00" in raw[:4096]:
        raise Unreadable(NOT_A_ZIP_OR_CSV)
    text = _decode(name, raw)
    rows = []
    for number, record in enumerate(_records(text), start=1):
        cells = [c.strip() for c in record]
        if number == 1 and cells[0] in ("Account address", "List name"):
            continue
        list_name, acct = (
            (cells[0], cells[1] if len(cells) > 1 else "")
            if kind == "mastodon_lists"
            else ("", cells[0])
        )
        if not _ACCT.match(acct):
            raise Unreadable(NOT_MASTODON.format(name=name.rsplit("/", 1)[-1]))
        rows.append((number, {"acct": acct.lstrip("@"), "list": list_name}))
    return rows
