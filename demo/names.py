"""Word lists for the demo network, read from demo/data: built in, so seeding never fetches
anything.

Plain lists are text files, one entry a line (`#` starts a comment line); lists with
structure (industries, titles, texts) are TOML. Order matters: the seed picks by position.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from typing import NamedTuple

DATA = files("demo") / "data"


class Industry(NamedTuple):
    """An industry decides a member's titles, skills, degrees, hashtags and post topics."""

    name: str
    company_suffixes: list[str]
    roles: list[str]
    skills: list[str]
    fields_of_study: list[str]
    hashtags: list[str]
    post_topics: list[str]


def word_list(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _toml(name: str) -> dict:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


FIRST_NAMES = word_list("first_names.txt")
LAST_NAMES = word_list("last_names.txt")
COMPANY_HEADS = word_list("company_heads.txt")
COMPANY_TAILS = word_list("company_tails.txt")
CITIES = word_list("cities.txt")

_careers = _toml("careers.toml")
SENIORITY = [f"{word} " if word else "" for word in _careers["seniority"]]
LEADER_TITLES = _careers["leader_titles"]
FIRST_DEGREES = _careers["first_degrees"]
MASTERS_DEGREES = _careers["masters_degrees"]
SCHOOL_PATTERNS = _careers["school_patterns"]

INDUSTRIES = [Industry(**industry) for industry in _toml("industries.toml")["industry"]]

_writing = _toml("writing.toml")
POST_TEMPLATES = _writing["posts"]
ABOUT_TEMPLATES = _writing["about"]
