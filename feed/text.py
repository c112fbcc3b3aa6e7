"""What a member writes, made safe once at write time: links, @mentions and #hashtags as
HTML, then nh3 (a maintained sanitiser) over the result, so no stored script ever runs.

The raw text is kept beside the HTML (edits start from it; Mastodon clients read it back).
"""

import re
from dataclasses import dataclass, field

import nh3
from django.conf import settings
from django.utils.html import escape

URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{3,30})(?![\w@])")
HASHTAG = re.compile(r"(?<![\w&#/])#(\w{1,100})", re.UNICODE)
TOKEN = re.compile(f"{URL.pattern}|{MENTION.pattern}|{HASHTAG.pattern}", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""

ALLOWED_TAGS = {"p", "br", "a", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "class"}, "span": {"class"}}


@dataclass
class Rendered:
    html: str
    mentions: list[str] = field(default_factory=list)  # handles as typed, in order
    hashtags: list[str] = field(default_factory=list)  # names as typed, first spelling kept


def clean_text(text: str) -> str:
    """No NUL, no lone surrogates, no control characters but newlines and tabs."""
    text = (text or "").encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127)).strip()


def is_hashtag(name: str) -> bool:
    return bool(name) and not name.isdigit() and re.fullmatch(r"\w{1,100}", name) is not None


def render(text: str, *, known_handles: dict[str, str] | None = None) -> Rendered:
    """`known_handles` maps lower-cased handles to their spelling; other @words stay text."""
    known = known_handles if known_handles is not None else {}
    site = settings.SITE_URL
    mentions: list[str] = []
    hashtags: dict[str, str] = {}
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        if not block.strip():
            continue
        pieces, position = [], 0
        for match in TOKEN.finditer(block):
            pieces.append(escape(block[position : match.start()]))
            token = match.group(0)
            position = match.end()
            if token.startswith("@"):
                handle = known.get(token[1:].lower())
                if handle is None:
                    pieces.append(escape(token))
                    continue
                mentions.append(handle)
                pieces.append(
                    f'<a href="{escape(site)}/in/{escape(handle)}/" class="u-url mention">'
                    f"@<span>{escape(handle)}</span></a>"
                )
            elif token.startswith("#"):
                name = token[1:]
                if not is_hashtag(name):
                    pieces.append(escape(token))
                    continue
                hashtags.setdefault(name.lower(), name)
                pieces.append(
                    f'<a href="{escape(site)}/tags/{escape(name.lower())}/" '
                    f'class="mention hashtag">#<span>{escape(name)}</span></a>'
                )
            else:
                url = token.rstrip(TRAILING)
                position -= len(token) - len(url)
                shown = re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE)
                if len(shown) > 40:
                    shown = shown[:39] + "…"
                pieces.append(f'<a href="{escape(url)}">{escape(shown)}</a>')
        pieces.append(escape(block[position:]))
        paragraphs.append("<p>" + "".join(pieces).replace("\n", "<br>") + "</p>")
    html = nh3.clean(
        "".join(paragraphs),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer",
    )
    return Rendered(html=html, mentions=mentions, hashtags=list(hashtags.values()))


def handles_in(text: str) -> list[str]:
    return list(dict.fromkeys(m.lower() for m in MENTION.findall(text)))


def plain(html_or_text: str, limit: int = 140) -> str:
    """A one-line excerpt without markup, for notifications and titles."""
    text = nh3.clean(html_or_text or "", tags=set()).replace("&amp;", "&")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
