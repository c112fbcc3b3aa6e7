"""People search, typeahead and their rules: D1 ranking, B1 blocks, S1 card, S5 filters."""

from django.contrib.auth.models import AnonymousUser

from network import services as network
from search import queries
from tests.network.factories import connect, set_profile


def handles(results):
    people = results.people if hasattr(results, "people") else results
    return [p.member.username for p in people]


def test_d1_at_equal_relevance_1st_comes_before_2nd_before_3rd(make_person):
    me = make_person("me", "Me Self")
    a = make_person("a", "Ana Lima")
    b = make_person("b", "Ana Lima")
    c = make_person("c", "Ana Lima")
    x, y = make_person("x", "Xavier"), make_person("y", "Yara")
    connect(me, a)
    connect(me, x)
    connect(x, b)
    connect(b, y)
    connect(y, c)
    connect(x, y)
    results = queries.people(me, q="ana lima")
    assert handles(results) == ["a", "b", "c"]
    assert [p.degree for p in results.people] == [1, 2, 3]


def test_d1_a_matching_connection_ranks_first_however_many_others_match(make_person, monkeypatch):
    """Connections are read by id, not among the first STRANGERS matches of everyone: the
    newest connection (last in the engine's order) still comes first (docs/search.md)."""
    monkeypatch.setattr(queries, "STRANGERS", 2)
    me = make_person("me", "Me Self")
    for i in range(4):
        make_person(f"other{i}", "Ana Lima")
    friend = make_person("friend", "Ana Lima")
    connect(me, friend)
    results = queries.people(me, q="ana lima", limit=2)
    assert handles(results)[0] == "friend" and results.people[0].degree == 1
    assert results.total == 1 + 3  # the connection, then offset + limit + 1 others
    assert handles(queries.people(me, q="ana", degrees=[1])) == ["friend"]


def test_several_terms_match_only_members_holding_all_of_them(make_person):
    """Every term a prefix, all must match, whichever the engine looks up first."""
    me = make_person("me", "Me Self")
    make_person("ms", "Maria Santos", headline="Senior Engineer")
    make_person("mo", "Maria Ortiz", headline="Designer")
    make_person("ps", "Paulo Silva", headline="Senior Engineer")
    assert handles(queries.people(me, q="maria sen")) == ["ms"]
    assert handles(queries.people(me, q="sen maria")) == ["ms"]
    assert sorted(handles(queries.people(me, q="maria"))) == ["mo", "ms"]


def test_d2_results_carry_the_mutual_count_and_first_names(make_person):
    me = make_person("me", "Me Self")
    target = make_person("t", "Target Person")
    for handle in ("m1", "m2", "m3"):
        mutual = make_person(handle, f"Mutual {handle}")
        connect(me, mutual)
        connect(mutual, target)
    [found] = queries.people(me, q="target").people
    assert found.mutual_count == 3
    assert found.mutual_names == ["Mutual m1", "Mutual m2"]


def test_degree_filter_keeps_only_that_degree(make_person):
    me = make_person("me", "Me Self")
    a, b, c = (make_person(h, "Ana Lima") for h in ("a", "b", "c"))
    connect(me, a)
    connect(a, b)
    assert handles(queries.people(me, q="ana", degrees=[1])) == ["a"]
    assert handles(queries.people(me, q="ana", degrees=[2])) == ["b"]
    assert handles(queries.people(me, q="ana", degrees=[3])) == ["c"]  # 3rd and beyond
    assert handles(queries.people(me, q="ana", degrees=[1, 2])) == ["a", "b"]
    assert handles(queries.people(me, q="", degrees=[1])) == ["a"]


def test_filters_match_company_school_location_industry_folded(make_person):
    me = make_person("me", "Me Self")
    make_person("ana", "Ana", company="Hazelmark", location="Lisboa")
    make_person("bo", "Bo", past_company="Hazelmark", school="École Centrale")
    make_person("cy", "Cy", industry="Aerospace")
    assert handles(queries.people(me, company="hazelmark")) == ["ana"]
    assert handles(queries.people(me, past_company="HAZELMARK")) == ["bo"]
    assert handles(queries.people(me, school="ecole centrale")) == ["bo"]
    assert handles(queries.people(me, location="lisboa")) == ["ana"]
    assert handles(queries.people(me, industry="aerospace")) == ["cy"]
    assert handles(queries.people(me, q="bo", company="hazelmark")) == []


def test_b1_blocked_either_way_never_appears_in_search_or_typeahead(make_person):
    me = make_person("me", "Me Self")
    blocked = make_person("blocked", "Ana Blocked")
    blocker = make_person("blocker", "Ana Blocker")
    make_person("free", "Ana Free")
    network.block(blocker=me, blocked=blocked)
    network.block(blocker=blocker, blocked=me)
    assert handles(queries.people(me, q="ana")) == ["free"]
    assert handles(queries.typeahead(me, "an")) == ["free"]
    assert queries.people(me, q="ana").total == 1


def test_s1_signed_out_search_matches_only_the_public_card(make_person):
    make_person("ana", "Ana Lima", headline="Pilot", industry="Aerospace", school="Porto Uni")
    anonymous = AnonymousUser()
    assert handles(queries.people(anonymous, q="pilot")) == ["ana"]
    assert handles(queries.people(anonymous, q="aerospace")) == []
    assert handles(queries.people(anonymous, school="porto uni")) == []
    [card] = queries.people(anonymous, q="ana").people
    assert card.view.full is False and card.degree is None


def test_s5_a_hidden_connection_list_still_gives_no_more_than_the_badge(make_person):
    """The 2nd-degree filter returns exactly the members whose badge says 2nd, and names
    only mutuals (the viewer's own connections): a hidden list adds no one to it."""
    me = make_person("me", "Me Self")
    hider = make_person("hider", "Hidden Lists")
    friend = make_person("friend", "Friend Of Hider")
    stranger = make_person("stranger", "Stranger Far")
    connect(me, friend)
    connect(friend, hider)
    connect(hider, stranger)
    set_profile(hider, connections_visible_to="only_me")
    second = queries.people(me, q="", degrees=[2])
    assert handles(second) == ["hider"]  # findable: the badge shows 2nd anyway
    assert second.people[0].mutual_names == ["Friend Of Hider"]  # S5 shows shared ones
    third = queries.people(me, q="stranger", degrees=[3])
    assert handles(third) == ["stranger"]
    assert third.people[0].mutual_names == []  # nothing of hider's list is named


def test_s5_a_connection_who_hides_their_list_is_no_intermediary_of_search(make_person):
    """Through a connection whose list is `only_me`, search shows no degree, filter match,
    mutual or suggestion: listing "2nd" would list that connection's hidden connections."""
    me = make_person("me", "Me Self")
    hider = make_person("hider", "Hidden Lists")
    secret = make_person("secret", "Secret Friend")
    friend = make_person("friend", "Open Friend")
    target = make_person("target", "Target Person")
    connect(me, hider)
    connect(hider, secret)
    connect(me, friend)
    connect(friend, target)
    set_profile(hider, connections_visible_to="only_me")
    assert handles(queries.people(me, degrees=[2])) == ["target"]
    [found] = queries.people(me, q="secret").people  # still findable
    assert found.degree is None and found.mutual_count == 0 and found.mutual_names == []
    assert handles(queries.people(me, q="secret", degrees=[2])) == []
    assert [p.degree for p in queries.people(me, q="hidden").people] == [1]
    assert [p.degree for p in queries.typeahead(me, "secr")] == [None]
    assert [s.person.member.username for s in queries.suggestions(me)] == ["target"]


def test_paging_is_bounded_and_counts_the_matches(make_person):
    me = make_person("me", "Me Self")
    for i in range(5):
        make_person(f"ana{i}", "Ana Lima")
    first = queries.people(me, q="ana", limit=2)
    second = queries.people(me, q="ana", limit=2, offset=2)
    assert first.total == 5 and first.has_more
    assert not set(handles(first)) & set(handles(second))
    assert len(handles(queries.people(me, q="ana", offset=10_000, limit=2))) <= 2


def test_typeahead_puts_the_1st_degree_first_then_by_name(make_person):
    me = make_person("me", "Me Self")
    make_person("zz", "Mara Zed")
    friend = make_person("friend", "Mario Rossi")
    make_person("aa", "Mara Alves")
    connect(me, friend)
    assert handles(queries.typeahead(me, "mar")) == ["friend", "aa", "zz"]
    assert handles(queries.typeahead(me, "ross")) == ["friend"]
    assert handles(queries.typeahead(me, "@friend")) == ["friend"]
    assert queries.typeahead(me, "  ") == []
