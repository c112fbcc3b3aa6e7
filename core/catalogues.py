"""The translation catalogues (locale/<lang>/LC_MESSAGES/django.po): compile, check, extract.

Compiling is pure Python (polib), so a machine with only Python serves German; extracting
(`makemessages`) needs GNU gettext's xgettext, which only a developer or CI needs.
docs/i18n.md says how they fit together.
"""

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

# How `linkwell update_catalogues` and the catalogue test run makemessages, so the check
# compares like with like. No locations: a string moving between lines changes nothing.
MAKEMESSAGES_OPTIONS = {
    "no_location": True,
    "no_wrap": True,
    "no_obsolete": True,
    "ignore_patterns": ["tests/*", "var/*", "staticfiles/*", "build/*", "*.egg-info/*"],
}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*(?::[^}]*)?\}")


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def po_files(root: Path | None = None) -> list[Path]:
    return sorted((root or locale_dir()).glob("*/LC_MESSAGES/*.po"))


def compile_catalogues(root: Path | None = None, *, force: bool = False) -> list[Path]:
    """Write each .mo beside its .po when missing or older; returns the .mo files written.
    Written to a temporary file and renamed, so parallel test workers never read half a file."""
    written = []
    for po_path in po_files(root):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        fd, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        os.close(fd)
        try:
            polib.pofile(str(po_path)).save_as_mofile(temporary)
            os.replace(temporary, mo_path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        written.append(mo_path)
    return written


@dataclass(frozen=True)
class Problem:
    po: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.po}: {self.msgid!r}: {self.what}"


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(po_path: Path) -> list[Problem]:
    """Untranslated, fuzzy, or a translation whose placeholders differ from the English."""
    catalogue = polib.pofile(str(po_path))
    found = []
    name = str(po_path.relative_to(po_path.parents[2]))
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(Problem(name, entry.msgid, "fuzzy"))
            continue
        if entry.msgid_plural:
            forms = [
                entry.msgstr_plural.get(i, "") for i in range(max(2, len(entry.msgstr_plural)))
            ]
            if not all(forms):
                found.append(Problem(name, entry.msgid, "a plural form is untranslated"))
                continue
            wanted = placeholders(entry.msgid_plural)
            for form in forms:
                if placeholders(form) != wanted and placeholders(form) != placeholders(entry.msgid):
                    found.append(Problem(name, entry.msgid, f"placeholders differ in {form!r}"))
        elif not entry.msgstr:
            found.append(Problem(name, entry.msgid, "untranslated"))
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            found.append(Problem(name, entry.msgid, f"placeholders differ in {entry.msgstr!r}"))
    return found


def msgids(po_path: Path) -> set[tuple[str, str, str]]:
    """What a catalogue asks to translate: (context, singular, plural), obsolete ones left out."""
    return {
        (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        for entry in polib.pofile(str(po_path))
        if not entry.obsolete
    }
