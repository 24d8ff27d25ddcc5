"""The catalogue: every rewrite the engine knows, in the order combined plans apply them."""

from __future__ import annotations

from agent.engines.rules.attr_index import AttributeIndex
from agent.engines.rules.attr_membership import AttributeMembershipSet
from agent.engines.rules.bisect_count import CountByBisect
from agent.engines.rules.builtins import LenCompare, SortedMinMax, SumGenerator
from agent.engines.rules.caching import CachedCall, CachePureFunction
from agent.engines.rules.call_joins import JoinIndexCall
from agent.engines.rules.combinatorics import FactorialRatio, MathFactorial
from agent.engines.rules.constant_tables import ConstantTable
from agent.engines.rules.containers import CounterLoop, DedupFromkeys
from agent.engines.rules.counting import CountInLoop
from agent.engines.rules.cse import RepeatedCall
from agent.engines.rules.earlier import EarlierByKey
from agent.engines.rules.expose import ExposeCalleeWork
from agent.engines.rules.field_cache import CacheMethodByFields
from agent.engines.rules.groupby import GroupByCall
from agent.engines.rules.growing import MembershipList, RunningMinMax, SortedInsert
from agent.engines.rules.grown_index import GrownListIndex
from agent.engines.rules.guarded_caching import GuardedCachePureFunction
from agent.engines.rules.guarded_growing import GuardedRunningMinMax
from agent.engines.rules.guarded_heaps import GuardedMinHeap
from agent.engines.rules.guarded_joins import GuardedJoinIndex
from agent.engines.rules.guarded_membership import GuardedMembershipSet
from agent.engines.rules.guarded_prefix import GuardedPrefixAggregate
from agent.engines.rules.guarded_recursion import GuardedCacheRecursive
from agent.engines.rules.guarded_shadow import GuardedSortedShadow
from agent.engines.rules.guarded_sorted import GuardedSortedAttribute
from agent.engines.rules.heaps import MinHeap
from agent.engines.rules.hoist import HoistPureCall
from agent.engines.rules.hoist_comp import HoistPureCallComprehension
from agent.engines.rules.index_map import IndexMap
from agent.engines.rules.inline import InlineExpressionCall
from agent.engines.rules.joins import JoinIndex
from agent.engines.rules.kept_index import KeptIndex
from agent.engines.rules.keyed import HoistPerCounter
from agent.engines.rules.keyed_frontier import KeyedFrontier
from agent.engines.rules.keyed_values import HoistPerKey
from agent.engines.rules.loops import AppendComprehension, InvariantCallHoist
from agent.engines.rules.mathfuncs import CombinationsRange, IntSumLoop, ProdLoop
from agent.engines.rules.means import ExactMean
from agent.engines.rules.membership import DictKeysMembership, EqChainSet, MembershipSet
from agent.engines.rules.memo import LruCache
from agent.engines.rules.per_element import HoistPerElement
from agent.engines.rules.positions import GrowingPositions
from agent.engines.rules.prefix import PrefixAggregate
from agent.engines.rules.queues import DequeQueue
from agent.engines.rules.refresh import RefreshPureCall
from agent.engines.rules.regex import RegexCompileHoist, RegexPrecompile
from agent.engines.rules.rewrite import Rule
from agent.engines.rules.rows import RowBinding
from agent.engines.rules.shadow_sorted import SortedShadow
from agent.engines.rules.snapshot_cache import CacheMethodBySnapshot
from agent.engines.rules.sort_keys import SortByKey
from agent.engines.rules.sorted_attr import SortedAttribute
from agent.engines.rules.sortmemo import SortMemo
from agent.engines.rules.strings import StringJoin
from agent.engines.rules.while_range import WhileRange

CATALOGUE: tuple[Rule, ...] = (
    InlineExpressionCall(),
    ExposeCalleeWork(),
    HoistPerKey(),  # before the joins: their lazy index builds make a loop impure
    AttributeIndex(),
    JoinIndex(),
    GuardedJoinIndex(),
    JoinIndexCall(),
    KeptIndex(),
    GroupByCall(),
    EarlierByKey(),
    CountByBisect(),  # enables the hoist right after it
    HoistPureCall(),
    HoistPureCallComprehension(),
    ConstantTable(),
    HoistPerCounter(),
    HoistPerElement(),
    SortByKey(),
    CacheMethodByFields(),
    CacheMethodBySnapshot(),
    IndexMap(),
    GrowingPositions(),
    RefreshPureCall(),
    SortMemo(),
    RegexCompileHoist(),
    RegexPrecompile(),
    DedupFromkeys(),
    CounterLoop(),
    MembershipSet(),
    GuardedMembershipSet(),
    AttributeMembershipSet(),
    CountInLoop(),
    InvariantCallHoist(),
    DequeQueue(),
    StringJoin(),
    RunningMinMax(),
    GuardedRunningMinMax(),
    PrefixAggregate(),
    GuardedPrefixAggregate(),
    SortedInsert(),
    SortedShadow(),
    GuardedSortedShadow(),
    SortedAttribute(),
    GuardedSortedAttribute(),
    MinHeap(),
    GuardedMinHeap(),
    KeyedFrontier(),
    MembershipList(),
    GrownListIndex(),
    ProdLoop(),
    IntSumLoop(),
    CombinationsRange(),
    FactorialRatio(),
    MathFactorial(),
    WhileRange(),
    RowBinding(),
    RepeatedCall(),
    AppendComprehension(),
    SortedMinMax(),
    SumGenerator(),
    EqChainSet(),
    DictKeysMembership(),
    LenCompare(),
    ExactMean(),
    LruCache(),
    CachePureFunction(),
    GuardedCachePureFunction(),
    GuardedCacheRecursive(),
    CachedCall(),
)
"""Application order: inlining first (it shows later rewrites the scans that callees hide),
then an index kept beside a list attribute (it outlasts a call, where a join's index is
built again in each), then rewrites that change what a loop scans or hoist work out of it,
then those that replace a whole loop, then those that edit inside one, so a combined plan
keeps the larger win when two would touch the same loop (a loop turned into a comprehension
can no longer have work hoisted out of it)."""

IMPACT: dict[str, int] = {
    "inline-call": 1,
    "expose-callee-work": 2,
    "join-index": 3,
    "join-index-guarded": 3,
    "join-index-call": 3,
    "kept-index": 3,
    "grown-list-index": 3,
    "index-map": 3,
    "cache-method-by-fields": 2,
    "cache-method-by-snapshot": 2,
    "group-by-call": 3,
    "earlier-by-key": 3,
    "hoist-pure-call": 3,
    "hoist-pure-call-comp": 3,
    "constant-table": 3,
    "hoist-per-counter": 3,
    "hoist-per-key": 3,
    "hoist-per-element": 3,
    "refresh-pure-call": 2,
    "sort-memo": 3,
    "dedup-fromkeys": 3,
    "membership-set": 3,
    "membership-set-guarded": 3,
    "membership-set-attribute": 3,
    "index-attribute": 3,
    "membership-list-set": 3,
    "growing-positions": 3,
    "count-in-loop": 3,
    "running-min-max": 3,
    "running-min-max-guarded": 3,
    "prefix-aggregate": 3,
    "prefix-aggregate-guarded": 3,
    "deque-queue": 3,
    "lru-cache": 3,
    "cache-pure-function": 3,
    "cache-pure-function-guarded": 2,
    "cache-recursive-guarded": 3,
    "string-join": 2,
    "sorted-insert": 2,
    "sorted-shadow": 3,
    "sorted-attribute": 3,
    "sorted-attribute-guarded": 3,
    "sorted-shadow-guarded": 3,
    "min-heap": 3,
    "min-heap-guarded": 3,
    "keyed-frontier": 3,
    "count-by-bisect": 1,
    "sorted-min-max": 2,
    "sort-by-key": 2,
    "counter-loop": 2,
    "regex-precompile": 2,
    "regex-compile-hoist": 2,
    "invariant-call-hoist": 2,
    "repeated-call": 2,
    "cached-call": 2,
    "append-comprehension": 1,
    "sum-generator": 1,
    "int-sum": 1,
    "math-prod": 1,
    "combinations-range": 1,
    "math-comb": 2,
    "math-factorial": 2,
    "row-binding": 1,
    "eq-chain-set": 1,
    "dict-keys-membership": 1,
    "len-compare": 1,
    "while-range": 1,
    "exact-mean": 2,
}
"""Rough expected gain: 3 changes the complexity class, 2 removes repeated work, 1 is a
constant-factor micro-optimization. Used only to order plans of equally hot functions."""

BY_ID: dict[str, Rule] = {rule.id: rule for rule in CATALOGUE}
