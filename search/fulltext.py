"""One interface over each database's own full-text machinery (docs/search.md).

SQLite: FTS5 (`search_memberdocument_fts`). PostgreSQL: tsvector columns with GIN indexes
and pg_trgm. Both index text folded here first (`fold`), so accents and
case fold the same way on both ("muller" finds "Müller"); callers get member ids and a score
where higher is better, and never see which engine answered.
"""

import bisect
import json
import re
import time
from dataclasses import dataclass
from enum import Enum

from django.db import connection

from core.text import fold

MAX_TERMS = 8
_TERM = re.compile(r"[^\W_]+")  # letters and digits: what both engines treat as a token


def terms(query: str) -> list[str]:
    """The folded tokens of a query, at most MAX_TERMS (a longer query adds nothing useful)."""
    return _TERM.findall(fold(query))[:MAX_TERMS]


class Scope(Enum):
    NAME = "name"  # display name and handle: typeahead
    CARD = "card"  # S1's public card: a signed-out reader's search
    ALL = "all"  # the whole profile: a signed-in member's search


@dataclass(frozen=True)
class Filters:
    """Narrowing that is not text: ids (a degree's members), facets ((kind, folded value)),
    and ids left out (the viewer's network, read on its own by `match_among`)."""

    ids: list[int] | None = None
    facets: tuple[tuple[str, str], ...] = ()
    without: tuple[int, ...] | list[int] = ()


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _filter_sql(filters: Filters, column: str, *, fts5: bool = False) -> tuple[str, list]:
    clauses, params = [], []
    if filters.ids is not None:
        if _postgres():
            clauses.append(f"{column} = ANY(%s)")
            params.append(list(filters.ids))
        else:  # one parameter whatever the count (SQLite caps a statement's parameters)
            # On FTS5, "+" keeps the list from being a constraint it takes: it then ran the
            # MATCH once per id (32 s for a 2nd-degree list of 2,000 at 100k members).
            plus = "+" if fts5 else ""
            clauses.append(f"{plus}{column} IN (SELECT value FROM json_each(%s))")
            params.append(json.dumps(list(filters.ids)))
    if filters.without:
        if _postgres():  # a constant array: PostgreSQL hashes it (one probe a row)
            clauses.append(f"NOT ({column} = ANY(%s))")
            params.append(list(filters.without))
        else:
            plus = "+" if fts5 else ""
            clauses.append(f"{plus}{column} NOT IN (SELECT value FROM json_each(%s))")
            params.append(json.dumps(list(filters.without)))
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


_FTS_COLUMNS = {Scope.NAME: "name", Scope.CARD: "{name card}", Scope.ALL: "{name card rest}"}
_PG_VECTOR = {Scope.NAME: "name_vector", Scope.CARD: "card_vector", Scope.ALL: "all_vector"}
# Relevance by where every term matched: the name, else name and card, else anywhere.
TIERS = ((Scope.NAME, None, 3.0), (Scope.CARD, Scope.NAME, 2.0), (Scope.ALL, Scope.CARD, 1.0))
_WIDTH = {Scope.NAME: 1, Scope.CARD: 2, Scope.ALL: 3}


def _fts5_query(words: list[str], scope: Scope) -> str:
    # Every term a prefix ("eng" finds "engineer"); quoted, so no word is FTS5 syntax.
    return f"{_FTS_COLUMNS[scope]} : (" + " AND ".join(f'"{w}"*' for w in words) + ")"


def _tsquery(words: list[str]) -> str:
    return " & ".join(f"{w}:*" for w in words)  # letters and digits only: no tsquery syntax


STATS_SECONDS = 600  # how long a process keeps PostgreSQL's lexeme frequencies
_stats: dict[str, object] = {}


def _lexeme_stats() -> dict[str, tuple[list[str], list[float]]]:
    """Each vector's most common lexemes (ANALYZE's sample, `pg_stats.most_common_elems`),
    sorted, with running sums of their frequencies: one small read per process every
    STATS_SECONDS. Empty before the first ANALYZE (then every term counts as rare)."""
    now = time.monotonic()
    if _stats.get("alias") == connection.alias and now - _stats.get("at", -1e9) < STATS_SECONDS:
        return _stats["vectors"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs"
            " FROM pg_stats WHERE tablename = 'search_memberdocument'"
            " AND attname IN ('name_vector', 'card_vector', 'all_vector')"
        )
        rows = cursor.fetchall()
    vectors = {}
    for column, lexemes, freqs in rows:
        pairs = sorted(zip(lexemes or [], freqs or [], strict=False))
        sums, total = [0.0], 0.0
        for _lexeme, freq in pairs:
            total += freq
            sums.append(total)
        vectors[column] = ([lexeme for lexeme, _f in pairs], sums)
    _stats.update(alias=connection.alias, at=now, vectors=vectors)
    return vectors


def _share(word: str, stats: tuple[list[str], list[float]] | None) -> float:
    """An upper estimate of the share of documents with a word starting with `word`: the sum
    of the common lexemes' frequencies with that prefix (0 when none is common)."""
    if not stats:
        return 0.0
    lexemes, sums = stats
    start = bisect.bisect_left(lexemes, word)
    end = bisect.bisect_left(lexemes, word + "\U0010ffff")
    return sums[end] - sums[start]


INDEX_SHARE = 0.06  # a term at most this common is asked of the GIN index with the rarest


def _index_term(words: list[str], vector: str) -> list[str]:
    """The terms PostgreSQL's GIN index is asked for: the rarest by ANALYZE's sample (the
    longest among equals), and each other term in at most INDEX_SHARE of the documents; the
    whole query is then checked on each row it returns. A GIN prefix term first collects
    every document of every lexeme it covers, so "maria sen" asked as one condition gathered
    all the "senior"s: 350 ms at 1M documents instead of 40 ms for "maria" alone. A second
    rare term costs a few index pages and spares the heap every row of the rarest that lacks
    it: "sun sol" read 3,600 heap pages for 100 rows by "sun" alone, 120 by both
    (docs/search.md, "How a search reads")."""
    if len(words) == 1:
        return words
    stats = _lexeme_stats().get(vector)
    shares = {w: _share(w, stats) for w in words}
    rarest = min(words, key=lambda w: (shares[w], -len(w)))
    return [w for w in words if w == rarest or shares[w] <= INDEX_SHARE]


def _pg_text(words: list[str], vector: str, q: str = "q") -> tuple[str, list]:
    """The condition that `vector` holds every term, the index asked for one of them; `q`
    is the whole query's tsquery (a FROM item, or an expression whose parameters follow
    the condition's)."""
    picked = _index_term(words, vector)
    if picked == words:
        return f"{vector} @@ {q}", []
    return f"{vector} @@ to_tsquery('simple', %s) AND ts_match_vq({vector}, {q})", [
        _tsquery(picked)
    ]


def _tier(words, scope: Scope, minus: Scope | None, limit: int, filters: Filters) -> list[int]:
    """Up to `limit` ids matching every term within `scope` but not within `minus`, in the
    engine's own order, which lets it stop at `limit` instead of scoring every match."""
    if _postgres():
        where, params = _filter_sql(filters, "member_id")
        text, text_params = _pg_text(words, _PG_VECTOR[scope])
        but = f" AND NOT {_PG_VECTOR[minus]} @@ q" if minus else ""
        sql = (
            "SELECT member_id FROM search_memberdocument, to_tsquery('simple', %s) q"
            f" WHERE {text}{but}{where} LIMIT %s"
        )
        params = [_tsquery(words), *text_params, *params, limit]
    else:
        where, params = _filter_sql(filters, "rowid", fts5=True)
        text = _fts5_query(words, scope)
        if minus:
            text = f"({text}) NOT ({_fts5_query(words, minus)})"
        sql = (
            "SELECT rowid FROM search_memberdocument_fts"
            f" WHERE search_memberdocument_fts MATCH %s{where} LIMIT %s"
        )
        params = [text, *params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(row[0]) for row in cursor.fetchall()]


def match(
    query: str, *, scope: Scope, limit: int, filters: Filters = Filters()
) -> list[tuple[int, float]]:
    """(member id, relevance) of up to `limit` documents matching every term of `query` as
    a prefix within `scope`: relevance 3 where all terms are in the name or handle, 2 in name
    and public card, 1 anywhere, best tier first (within a tier in the engine's order: the
    caller ranks by closeness). No terms: the filtered members in id order, relevance 0."""
    words = terms(query)
    if filters.ids is not None and not filters.ids:
        return []
    if not words:
        where, params = _filter_sql(filters, "member_id")
        sql = f"SELECT member_id, 0 FROM search_memberdocument WHERE 1=1{where} ORDER BY member_id LIMIT %s"  # noqa: E501
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return [(int(i), 0.0) for i, _zero in cursor.fetchall()]
    found: list[tuple[int, float]] = []
    for tier_scope, minus, relevance in TIERS[: _WIDTH[scope]]:
        ids = _tier(words, tier_scope, minus, limit - len(found), filters)
        found += [(i, relevance) for i in ids]
        if len(found) >= limit:
            break
    return found


def match_among(
    query: str, *, scope: Scope, ids: list[int], filters: Filters = Filters()
) -> list[tuple[int, float]]:
    """(member id, relevance as `match`) of every one of `ids` whose document matches every
    term of `query` as a prefix within `scope`: the viewer's network, read by its ids, so the
    cost follows how many ids there are, never how many members match a common word."""
    words = terms(query)
    if not words or not ids:
        return []
    if not _postgres():  # FTS5: the tiers, each narrowed to the ids (`+rowid`, above)
        narrowed = Filters(ids=list(ids), facets=filters.facets)
        return match(query, scope=scope, limit=len(ids), filters=narrowed)
    where, params = _filter_sql(Filters(facets=filters.facets), "member_id")
    tiers = [(s, r) for s, _minus, r in TIERS[: _WIDTH[scope]]]
    relevance = " ".join(f"WHEN {_PG_VECTOR[s]} @@ q THEN {r:g}" for s, r in tiers[:-1])
    relevance = f"CASE {relevance} ELSE {tiers[-1][1]:g} END" if relevance else f"{tiers[-1][1]:g}"
    text, text_params = _pg_text(words, _PG_VECTOR[scope])
    sql = (
        f"SELECT member_id, {relevance} FROM search_memberdocument, to_tsquery('simple', %s) q"  # noqa: S608
        f" WHERE member_id = ANY(%s) AND {text}{where}"
    )
    return _fetch(sql, [_tsquery(words), list(ids), *text_params, *params])


MEMBER_GIN = (
    "search_doc_name_vector",
    "search_doc_card_vector",
    "search_doc_all_vector",
    "search_doc_name_trgm",
)
POST_GIN = ("search_postdoc_text_vector",)


def merge_pending(indexes) -> None:
    """PostgreSQL: merge the GIN indexes' pending lists into the index after a bulk load,
    which every search would otherwise scan in full (migration 0005); SQLite: nothing."""
    if not _postgres():
        return
    with connection.cursor() as cursor:
        for name in indexes:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


def _prefix_sql(words: list[str], limit: int) -> tuple[str, list]:
    """The engine's unranked name look-up: it stops at `limit` instead of ranking every
    "a..." (PostgreSQL walks the table for a common prefix and stops early, the GIN index
    for a rare one; FTS5 its prefix index)."""
    if _postgres():
        # The GIN index is asked for the rare terms only (`_pg_text`): "ji-h" asked as one
        # condition merged the posting lists of every lexeme starting with "h", 19 ms at 1M
        # documents, where "ji" alone, the "h" checked on its rows, takes 0.8.
        text, params = _pg_text(words, "name_vector", q="to_tsquery('simple', %s)")
        sql = f"SELECT member_id, name FROM search_memberdocument WHERE {text} LIMIT %s"  # noqa: S608
        return sql, [*params, _tsquery(words), limit]
    sql = (
        "SELECT rowid AS member_id, name FROM search_memberdocument_fts"
        " WHERE search_memberdocument_fts MATCH %s LIMIT %s"
    )
    return sql, [_fts5_query(words, Scope.NAME), limit]


def _matches_name(words: list[str], name: str) -> bool:
    tokens = _TERM.findall(name)
    return all(any(t.startswith(w) for t in tokens) for w in words)


def prefix_names(query: str, *, limit: int) -> list[tuple[int, str]]:
    """(member id, folded name) of up to `limit` names matching every term as a prefix, in
    no particular order."""
    words = terms(query)
    if not words:
        return []
    sql, params = _prefix_sql(words, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(i), name) for i, name in cursor.fetchall()]


def typeahead_names(
    query: str, member_ids: list[int], *, limit: int
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(those of `member_ids` whose name matches every term of `query` as a prefix, up to
    `limit` other matches as `prefix_names`), in one statement: the viewer's connections
    are read by primary key (PostgreSQL filters them by the name vector; on SQLite their
    folded names are matched here with the engine's tokens), which for a short list beats
    asking the engine for every "a..." and keeping a few."""
    words = terms(query)
    if not words:
        return [], []
    others_sql, others_params = _prefix_sql(words, limit)
    mine_sql, mine_params = "SELECT member_id, name FROM search_memberdocument WHERE 1=0", []
    if member_ids:
        where, mine_params = _filter_sql(Filters(ids=member_ids), "member_id")
        mine_sql = f"SELECT member_id, name FROM search_memberdocument WHERE 1=1{where}"
        if _postgres():
            mine_sql += " AND name_vector @@ to_tsquery('simple', %s)"
            mine_params = [*mine_params, _tsquery(words)]
    sql = (
        f"SELECT member_id, name, 1 FROM ({mine_sql}) AS mine"  # noqa: S608
        f" UNION ALL SELECT member_id, name, 0 FROM ({others_sql}) AS others"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*mine_params, *others_params])
        rows = cursor.fetchall()
    checked = _postgres()  # PostgreSQL matched them already, with its own tokens
    mine = [(int(i), n) for i, n, own in rows if own and (checked or _matches_name(words, n))]
    return mine, [(int(i), name) for i, name, own in rows if not own]


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


# --- Posts ---------------------------------------------------------------------------------


def post_terms(query: str) -> list[str]:
    """A post query's terms: as `terms`, without single characters (a lone letter tells
    nothing in a post and has no prefix index; a name search keeps them for the typeahead)."""
    return [w for w in terms(query) if len(w) > 1]


@dataclass(frozen=True)
class Audience:
    """Who reads, for the SQL itself (P1, B1/D4): `mine` are the authors whose `connections`
    posts the reader may open (the reader and their 1st-degree connections; None signed
    out: `anyone` posts only), `hidden` authors never appear (blocked either way, muted).
    `author` narrows to one author's posts (Mastodon's `account_id`)."""

    mine: list[int] | None = None
    hidden: list[int] = ()
    author: int | None = None


def _audience_sql(audience: Audience) -> tuple[str, list]:
    clauses, params = [], []
    if _postgres():
        if audience.mine:
            clauses.append("(d.visibility = 'anyone' OR d.author_id = ANY(%s))")
            params.append(list(audience.mine))
        else:
            clauses.append("d.visibility = 'anyone'")
        if audience.hidden:
            clauses.append("NOT (d.author_id = ANY(%s))")
            params.append(list(audience.hidden))
    else:
        if audience.mine:
            clauses.append(
                "(d.visibility = 'anyone' OR d.author_id IN (SELECT value FROM json_each(%s)))"
            )
            params.append(json.dumps(list(audience.mine)))
        else:
            clauses.append("d.visibility = 'anyone'")
        if audience.hidden:
            clauses.append("d.author_id NOT IN (SELECT value FROM json_each(%s))")
            params.append(json.dumps(list(audience.hidden)))
    if audience.author is not None:
        clauses.append("d.author_id = %s")
        params.append(int(audience.author))
    return "".join(f" AND {c}" for c in clauses), params


def match_posts(query: str, *, audience: Audience, limit: int, offset: int = 0) -> list[int]:
    """Ids of the posts matching every term of `query` as a prefix that `audience` may open,
    newest first (the engine walks its index by post id and stops at `offset + limit`)."""
    words = post_terms(query)
    if not words:
        return []
    where, params = _audience_sql(audience)
    if _postgres():
        sql = (
            "SELECT d.post_id FROM search_postdocument d, to_tsquery('simple', %s) q"
            f" WHERE d.text_vector @@ q{where} ORDER BY d.post_id DESC LIMIT %s OFFSET %s"
        )
        params = [_tsquery(words), *params, limit, offset]
    else:
        text = " AND ".join(f'"{w}"*' for w in words)
        sql = (
            "SELECT d.post_id FROM search_postdocument_fts"
            " JOIN search_postdocument d ON d.post_id = search_postdocument_fts.rowid"
            f" WHERE search_postdocument_fts MATCH %s{where}"
            " ORDER BY search_postdocument_fts.rowid DESC LIMIT %s OFFSET %s"
        )
        params = [text, *params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(row[0]) for row in cursor.fetchall()]
