"""One interface over each database's own full-text machinery (docs/search.md).

SQLite: FTS5 (`search_memberdocument_fts`, bm25). PostgreSQL: tsvector columns with GIN
indexes (`ts_rank`) and pg_trgm. Both index text folded here first (`fold`), so accents and
case fold the same way on both ("muller" finds "Müller"); callers get member ids and a score
where higher is better, and never see which engine answered.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from django.db import connection

MAX_TERMS = 8
_TERM = re.compile(r"[^\W_]+")  # letters and digits: what both engines treat as a token


def fold(text: str) -> str:
    """Accents off, case folded ("Müller" -> "muller", "Straße" -> "strasse")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", bare.casefold())


def terms(query: str) -> list[str]:
    """The folded tokens of a query, at most MAX_TERMS (a longer query adds nothing useful)."""
    return _TERM.findall(fold(query))[:MAX_TERMS]


class Scope(Enum):
    NAME = "name"  # display name and handle: typeahead
    CARD = "card"  # S1's public card: a signed-out reader's search
    ALL = "all"  # the whole profile: a signed-in member's search


@dataclass(frozen=True)
class Filters:
    """Narrowing that is not text: ids (a degree's members) and facets ((kind, folded value))."""

    ids: list[int] | None = None
    facets: tuple[tuple[str, str], ...] = ()


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _filter_sql(filters: Filters, column: str) -> tuple[str, list]:
    clauses, params = [], []
    if filters.ids is not None:
        if _postgres():
            clauses.append(f"{column} = ANY(%s)")
            params.append(list(filters.ids))
        else:  # one parameter whatever the count (SQLite caps a statement's parameters)
            # "+": not a constraint FTS5 would take, which made it run the MATCH once per id
            clauses.append(f"+{column} IN (SELECT value FROM json_each(%s))")
            params.append(json.dumps(list(filters.ids)))
    for kind, value in filters.facets:
        clauses.append(
            f"{column} IN (SELECT member_id FROM search_memberfacet WHERE kind = %s AND value = %s)"
        )
        params += [kind, value]
    return "".join(f" AND {c}" for c in clauses), params


def _fetch(sql: str, params: list) -> list[tuple[int, float]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]


# SQLite: bm25 weights per column (name, card, rest); PostgreSQL: ts_rank's {D, C, B, A}.
_BM25 = "bm25(search_memberdocument_fts, 10.0, 4.0, 1.0)"
_PG_WEIGHTS = "'{0.0, 0.1, 0.4, 1.0}'"
_FTS_COLUMNS = {Scope.NAME: "name", Scope.CARD: "{name card}", Scope.ALL: "{name card rest}"}
_PG_VECTOR = {Scope.NAME: "name_vector", Scope.CARD: "card_vector", Scope.ALL: "all_vector"}


def _fts5_query(words: list[str], scope: Scope) -> str:
    # Every term a prefix ("eng" finds "engineer"); quoted, so no word is FTS5 syntax.
    return f"{_FTS_COLUMNS[scope]} : (" + " AND ".join(f'"{w}"*' for w in words) + ")"


def _tsquery(words: list[str]) -> str:
    return " & ".join(f"{w}:*" for w in words)  # letters and digits only: no tsquery syntax


def match(
    query: str, *, scope: Scope, limit: int, filters: Filters = Filters(), ranked: bool = True
) -> list[tuple[int, float]]:
    """(member id, relevance) of the documents matching every term of `query` as a prefix,
    best first when `ranked` (unranked: in id order, which lets the engine stop at `limit`,
    the typeahead's case). No terms: the filtered members in id order, relevance 0."""
    words = terms(query)
    if filters.ids is not None and not filters.ids:
        return []
    if not words:
        where, params = _filter_sql(filters, "member_id")
        sql = f"SELECT member_id, 0 FROM search_memberdocument WHERE 1=1{where} ORDER BY member_id LIMIT %s"  # noqa: E501
        return _fetch(sql, [*params, limit])
    if _postgres():
        vector = _PG_VECTOR[scope]
        where, params = _filter_sql(filters, "member_id")
        rank = f"ts_rank({_PG_WEIGHTS}, {vector}, q)" if ranked else "0"
        order = "2 DESC, 1" if ranked else "1"
        sql = (
            f"SELECT member_id, {rank} FROM search_memberdocument, to_tsquery('simple', %s) q"
            f" WHERE {vector} @@ q{where} ORDER BY {order} LIMIT %s"
        )
        return _fetch(sql, [_tsquery(words), *params, limit])
    where, params = _filter_sql(filters, "rowid")
    rank = f"-{_BM25}" if ranked else "0"
    order = f"{_BM25}, rowid" if ranked else "rowid"
    sql = (
        f"SELECT rowid, {rank} FROM search_memberdocument_fts"
        f" WHERE search_memberdocument_fts MATCH %s{where} ORDER BY {order} LIMIT %s"
    )
    return _fetch(sql, [_fts5_query(words, scope), *params, limit])


def names_matching(query: str, member_ids: list[int]) -> list[tuple[int, str]]:
    """Which of `member_ids` have a name matching every term of `query` as a prefix, as
    `match(scope=NAME)` would, read by primary key: for a short list (the viewer's
    connections) this beats asking the engine for every "a..." and keeping a few."""
    words = terms(query)
    if not words or not member_ids:
        return []
    where, params = _filter_sql(Filters(ids=member_ids), "member_id")
    sql = f"SELECT member_id, name FROM search_memberdocument WHERE 1=1{where} ORDER BY member_id"
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("+member_id", "member_id"), params)
        rows = cursor.fetchall()
    found = []
    for member_id, name in rows:
        tokens = _TERM.findall(name)
        if all(any(t.startswith(w) for t in tokens) for w in words):
            found.append((int(member_id), name))
    return found


def prefix_names(query: str, *, limit: int) -> list[tuple[int, str]]:
    """(member id, folded name) of up to `limit` names matching every term as a prefix, in
    no particular order: the engine stops at `limit` instead of ranking every "a..."."""
    words = terms(query)
    if not words:
        return []
    if _postgres():
        sql = (
            "SELECT member_id, name FROM search_memberdocument, to_tsquery('simple', %s) q"
            " WHERE name_vector @@ q LIMIT %s"
        )
        params = [_tsquery(words), limit]
    else:
        sql = (
            "SELECT rowid, name FROM search_memberdocument_fts"
            " WHERE search_memberdocument_fts MATCH %s LIMIT %s"
        )
        params = [_fts5_query(words, Scope.NAME), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(i), name) for i, name in cursor.fetchall()]


def similar_names(
    query: str, *, limit: int, filters: Filters = Filters()
) -> list[tuple[int, float]]:
    """Names close to a misspelt query (pg_trgm's similarity) on PostgreSQL; none on SQLite,
    which has no such index here: the caller offers it as "did you mean", never as a match."""
    folded = " ".join(terms(query))
    if not _postgres() or len(folded) < 3:
        return []
    where, params = _filter_sql(filters, "member_id")
    sql = (
        "SELECT member_id, similarity(name, %s) FROM search_memberdocument"
        f" WHERE name %% %s{where} ORDER BY 2 DESC, 1 LIMIT %s"
    )
    return _fetch(sql, [folded, folded, *params, limit])
