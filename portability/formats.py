"""vCard and Mastodon's CSV files as those tools read them (issue 17). vCard is written by
vobject (a maintained library), not by hand: escaping and line folding are its job."""

import csv
import io
from dataclasses import dataclass

import vobject

from portability.readers import MASTODON_FOLLOWING_HEADER


@dataclass
class Card:
    """A connection as their profile shows them to connections (no address: none is)."""

    name: str
    first: str = ""
    last: str = ""
    url: str = ""
    title: str = ""
    company: str = ""
    headline: str = ""
    location: str = ""


def vcard(cards: list[Card]) -> str:
    out = []
    for card in cards:
        entry = vobject.vCard()
        entry.add("fn").value = card.name
        entry.add("n").value = vobject.vcard.Name(family=card.last, given=card.first)
        if card.url:
            entry.add("url").value = card.url
        if card.title:
            entry.add("title").value = card.title
        if card.company:
            entry.add("org").value = [card.company]
        if card.headline:
            entry.add("note").value = card.headline
        if card.location:
            entry.add("adr").value = vobject.vcard.Address(city=card.location)
        out.append(entry.serialize())
    return "".join(out)


def _csv(rows, header=None) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


def mastodon_following(accts: list[str]) -> str:
    """Mastodon's following_accounts.csv: a header, then `acct,true,false,`."""
    return _csv([[a, "true", "false", ""] for a in accts], MASTODON_FOLLOWING_HEADER)


def mastodon_blocks(accts: list[str]) -> str:
    """Mastodon's blocked_accounts.csv: one address a line, no header."""
    return _csv([[a] for a in accts])


def mastodon_lists(entries: list[tuple[str, str]]) -> str:
    """Mastodon's lists.csv: `list name,acct` a line, no header."""
    return _csv([[name, acct] for name, acct in entries])
