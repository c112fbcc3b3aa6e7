"""Text folded for matching, the same way wherever two spellings must meet: search's index and
facets, and a member's city (profiles' moves, A3's "moved to your city")."""

import unicodedata


def fold(text: str) -> str:
    """Accents off, case folded ("Müller" -> "muller", "Straße" -> "strasse"). ASCII is only
    lowered: normalising it changes nothing, and most text is ASCII (a rebuild's hot path)."""
    if text is None:
        return ""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", bare.casefold())


def fold_label(label: str) -> str:
    """A facet's value: `fold` with the spaces collapsed ("  São  Paulo " -> "sao paulo")."""
    return fold(" ".join((label or "").split()))
