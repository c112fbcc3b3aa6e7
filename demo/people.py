"""Who the demo members are: names, handles, careers and posts, from ids and a seed.

Pure Python, no Django: the same seed and member index always give the same person.
Companies, schools and regions come from the graph generator's community ids.
"""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from dataclasses import dataclass, field

from demo import names

DAY = 86_400
YEAR = 365 * DAY
INDUSTRY_COUNT = len(names.INDUSTRIES)


@functools.cache
def ascii_word(text: str) -> str:
    """'José' → 'jose', 'Ji-ho' → 'jiho': the handle-safe form of a name."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


class HandleMaker:
    """first_last, then first_last2, first_last3…: unique, 3–30 of [a-z0-9_], never 'demo'."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def make(self, first: str, last: str) -> str:
        base = f"{ascii_word(first)[:11]}_{ascii_word(last)[:11]}".strip("_")
        if len(base) < 3:
            base = f"member_{base}"
        count = self.seen.get(base, 0) + 1
        self.seen[base] = count
        return base if count == 1 else f"{base}{count}"


def industry_of(company: int) -> int:
    return (company * 2_654_435_761 >> 7) % INDUSTRY_COUNT


def _unique(candidates: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in candidates:
        count = seen.get(name, 0) + 1
        seen[name] = count
        result.append(name if count == 1 else f"{name} {count}")
    return result


def company_names(count: int, seed: int) -> list[str]:
    """'Northwind', 'Bluepeak Analytics'…: one name per company community id."""
    rng = random.Random(seed * 7 + 1)
    compounds = [h + t for h in names.COMPANY_HEADS for t in names.COMPANY_TAILS]
    rng.shuffle(compounds)
    result = []
    for company in range(count):
        suffixes = ["", *names.INDUSTRIES[industry_of(company)].company_suffixes]
        compound = compounds[company % len(compounds)]
        suffix = suffixes[(company // len(compounds) + company) % len(suffixes)]
        result.append(f"{compound} {suffix}".strip())
    return _unique(result)


def region_cities(count: int, seed: int) -> list[str]:
    rng = random.Random(seed * 7 + 2)
    cities = list(names.CITIES)
    rng.shuffle(cities)
    return [cities[region % len(cities)] for region in range(count)]


def school_names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed * 7 + 3)
    cities = [city.split(",")[0] for city in names.CITIES]
    combos = [p.format(city=c) for p in names.SCHOOL_PATTERNS for c in cities]
    rng.shuffle(combos)
    return _unique([combos[school % len(combos)] for school in range(count)])


def _titled(level: int, role: str) -> str:
    """'Senior Data Engineer'; managers and leads only ever get 'Senior' in front."""
    prefix = names.SENIORITY[level]
    if any(word in role for word in ("Manager", "Lead", "Partner", "Officer", "Counsel")):
        prefix = "Senior " if prefix in ("Staff ", "Lead ", "Principal ") else ""
    return prefix + role


@dataclass
class Person:
    handle: str
    first: str
    last: str
    display_name: str
    headline: str
    location: str
    industry: str
    about: str
    positions: list[tuple[str, str, str, int, int | None]] = field(default_factory=list)
    education: list[tuple[str, str, str, int, int]] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    # text, for connections only (P1), age in seconds
    posts: list[tuple[str, bool, int]] = field(default_factory=list)


class PersonMaker:
    """Makes one member's whole public face; `now` is epoch seconds, positions in days."""

    def __init__(self, *, seed: int, now: int, companies, schools, cities):
        self.seed = seed
        self.now = now
        self.companies = companies
        self.schools = schools
        self.cities = cities
        self.handles = HandleMaker()

    def make(
        self,
        index: int,
        *,
        company: int,
        school: int,
        region: int,
        posts: int,
        leader: bool = False,
        demo: bool = False,
    ) -> Person:
        rng = random.Random(self.seed * 1_000_003 + index)
        draw = rng.random

        def pick(options):
            return options[int(draw() * len(options))]

        def between(low: int, high: int) -> int:
            return low + int(draw() * (high - low + 1))

        first = pick(names.FIRST_NAMES)
        last = pick(names.LAST_NAMES)
        handle = self.handles.make(first, last)
        if demo:
            first, last, handle = "Demo", "Member", "demo"
        industry_index = industry_of(company)
        sector = names.INDUSTRIES[industry_index]
        industry, roles, skill_pool = sector.name, sector.roles, sector.skills
        fields, tags, topics = sector.fields_of_study, sector.hashtags, sector.post_topics
        company_name = self.companies[company]
        city = self.cities[region]
        years = between(8, 22) if demo else between(1, 25)
        career_start = self.now - years * YEAR - int(draw() * YEAR)
        role = pick(roles)
        level = min(len(names.SENIORITY) - 1, years // 3 + between(0, 1))
        title = pick(names.LEADER_TITLES) if leader else _titled(level, role)
        most = min(8, len(skill_pool))
        skills = rng.sample(skill_pool, most if demo else between(3, most))
        headline = f"{title} at {company_name}"
        if draw() < 0.3 or demo:
            headline += f" | {skills[0]}, {skills[1]}"

        positions = []
        current_start = min(self.now - 60 * DAY, career_start + int(draw() * max(1, years)) * YEAR)
        positions.append((title, company_name, city, current_start // DAY, None))
        earlier = 3 if demo else min(between(0, 3), years // 2)
        end = current_start
        span = (current_start - career_start) // max(1, earlier)
        for step in range(earlier):
            start = max(career_start, end - span)
            if end - start < 90 * DAY:
                break
            old_company = pick(self.companies)
            old_level = max(0, level - step - 1)
            old_title = _titled(old_level, pick(roles))
            positions.append((old_title, old_company, city, start // DAY, (end - DAY) // DAY))
            end = start - between(1, 59) * DAY

        end_year = 1970 + career_start // YEAR
        first_degree = pick(names.FIRST_DEGREES)
        education = [(self.schools[school], first_degree, pick(fields), end_year - 3, end_year)]
        if demo or draw() < 0.25:
            masters = pick(names.MASTERS_DEGREES)
            other = pick(self.schools)
            education.append((other, masters, pick(fields), end_year + 1, end_year + 2))

        about = pick(names.ABOUT_TEMPLATES).format(
            role=title,
            role_lower=title.lower(),
            skill1=skills[0],
            skill2=skills[1],
            city=city.split(",")[0],
            industry=industry.lower(),
            company=company_name,
            prev=positions[-1][1] if len(positions) > 1 else "a long list of side projects",
        )
        post_list = []
        for _ in range(posts):
            text = pick(names.POST_TEMPLATES).format(
                topic=pick(topics),
                tag1=pick(tags),
                tag2=pick(tags),
                company=company_name,
                city=city.split(",")[0],
                industry=industry.lower(),
            )
            connections_only = draw() < 0.15
            age = int(rng.expovariate(1 / (12 * DAY))) % (90 * DAY) + int(draw() * 3600)
            post_list.append((text, connections_only, age))
        return Person(
            handle=handle,
            first=first,
            last=last,
            display_name=f"{first} {last}",
            headline=headline[:220],
            location=city,
            industry=industry,
            about=about,
            positions=positions,
            education=education,
            skills=skills,
            posts=post_list,
        )
