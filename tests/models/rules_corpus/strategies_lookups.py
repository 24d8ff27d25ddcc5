"""Inputs for corpus_lookups: keys of mixed types (NaN, 1 == 1.0 == True, None), records
that lack the key, orders that lack the attribute a probe reads, lists and tuples, and edges
that do not unpack (too short, a string), and shifts that lack the key or the hours."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import strategies as st

keys = st.sampled_from(["a", "b", 1, 1.0, True, None, float("nan")])
user = st.one_of(
    st.fixed_dictionaries({"login": keys, "team": st.sampled_from(["x", "y"])}),
    st.fixed_dictionaries({"team": st.just("z")}),
)
users = st.one_of(st.lists(user, max_size=6), st.lists(user, max_size=6).map(tuple))
person = st.builds(SimpleNamespace, ident=keys, name=st.sampled_from(["p", "q"]))
order = st.one_of(st.builds(SimpleNamespace, owner=keys), st.builds(SimpleNamespace))
row = st.one_of(
    st.fixed_dictionaries({"id": keys, "n": st.integers(-5, 5)}),
    st.fixed_dictionaries({"n": st.integers(-5, 5)}),
)
rows = st.one_of(st.lists(row, max_size=6), st.lists(row, max_size=6).map(tuple))
region = st.one_of(
    st.fixed_dictionaries({"code": keys, "name": st.sampled_from(["n", "s"])}),
    st.fixed_dictionaries({"name": st.just("w")}),
)
regions = st.one_of(st.lists(region, max_size=6), st.lists(region, max_size=6).map(tuple))
member = st.one_of(
    st.fixed_dictionaries({"id": keys, "active": st.booleans(), "name": st.sampled_from("pq")}),
    st.fixed_dictionaries({"id": keys, "name": st.just("r")}),
    st.fixed_dictionaries({"name": st.just("s")}),
)
members = st.one_of(st.lists(member, max_size=6), st.lists(member, max_size=6).map(tuple))
owned = st.one_of(st.fixed_dictionaries({"owner": keys}), st.just({}))
site = st.one_of(st.builds(SimpleNamespace, region=keys), st.builds(SimpleNamespace))

edge = st.one_of(
    st.tuples(keys, keys, st.integers(0, 9)),
    st.lists(keys, min_size=3, max_size=3),
    st.tuples(keys, keys),  # too short to unpack: the scan's ValueError
    st.text("ab1", min_size=3, max_size=3),  # a string unpacks into its characters
)
edges = st.one_of(st.lists(edge, max_size=8), st.lists(edge, max_size=8).map(tuple))

shift = st.one_of(
    st.builds(SimpleNamespace, worker=keys, hours=st.integers(0, 9)),
    st.builds(SimpleNamespace, worker=keys),  # no hours: the sum's AttributeError
    st.builds(SimpleNamespace, hours=st.integers(0, 9)),  # no key: the scan's AttributeError
)
shifts = st.one_of(st.lists(shift, max_size=8), st.lists(shift, max_size=8).map(tuple))

STRATEGIES_LOOKUPS: dict[str, Any] = {
    "hours_of": st.tuples(person, shifts),
    "pay_of": st.tuples(person, shifts),
    "payroll": st.tuples(st.lists(person, max_size=5), shifts),
    "leaving": st.tuples(edges, keys),
    "reachable": st.tuples(edges, keys),
    "find_user": st.tuples(users, keys),
    "teams_of": st.tuples(st.lists(keys, max_size=5), users),
    "owner_name": st.tuples(order, st.lists(person, max_size=5)),
    "owner_names": st.tuples(st.lists(order, max_size=5), st.lists(person, max_size=5)),
    "total_for": st.tuples(rows, keys),
    "totals": st.tuples(st.lists(keys, max_size=5), rows),
    "claim": st.tuples(rows, keys),
    "claim_all": st.tuples(rows, st.lists(keys, max_size=5)),
    "first_names": st.tuples(st.lists(owned, max_size=5), members),
    "with_active_owner": st.tuples(st.lists(owned, max_size=5), members),
    "active_name": st.tuples(owned, members),
    "active_names": st.tuples(st.lists(owned, max_size=5), members),
    "region_of": st.tuples(site, regions),
    "regions_of": st.tuples(st.lists(site, max_size=5), regions),
}
