import copy
import random

import pytest

from depgraph import (
    DependencyError,
    all_dependents,
    compare_versions,
    dependency_map,
    dependents,
    find_package,
    format_requirement,
    install_order,
    matches,
    newest_satisfying,
    normalize_name,
    parse_requirement,
    parse_version,
    removal_report,
    resolve,
    validate_repo,
    versions_of,
    who_requires,
)

# ---------------------------------------------------------------- brute force helpers


def bf_name(text):
    return text.strip().lower().replace("_", "-")


def bf_key(text):
    text = text.strip()
    if text[:1] in "vV":
        text = text[1:]
    parts = [int(p) for p in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts = parts[:-1]
    return tuple(parts)


def bf_req(text):
    cut = len(text)
    for i, ch in enumerate(text):
        if ch in "<>=!":
            cut = i
            break
    name = bf_name(text[:cut])
    clauses = []
    rest = text[cut:].strip()
    if rest:
        for piece in rest.split(","):
            piece = piece.strip()
            op = piece[:2] if piece[:2] in ("==", "!=", ">=", "<=") else piece[:1]
            clauses.append((op, bf_key(piece[len(op):])))
    return name, clauses


def bf_ok(version, clauses):
    key = bf_key(version)
    tests = {"==": key.__eq__, "!=": key.__ne__, ">=": key.__ge__, "<=": key.__le__,
             ">": key.__gt__, "<": key.__lt__}
    return all(tests[op](bound) for op, bound in clauses)


def bf_newest(repo, req):
    name, clauses = bf_req(req)
    best = None
    for pkg in repo:
        if bf_name(pkg[0]) == name and bf_ok(pkg[1], clauses):
            if best is None or bf_key(pkg[1]) > bf_key(best[1]):
                best = pkg
    return best


def bf_resolve(repo, roots):
    chosen = {}

    def visit(req, path):
        name, clauses = bf_req(req)
        if name in chosen:
            if not bf_ok(chosen[name][1], clauses):
                raise DependencyError(
                    f"conflict at {' -> '.join(path + [name])}: {name} {chosen[name][1]} "
                    f"already chosen, {req!r} needed")
            return
        pkg = bf_newest(repo, req)
        if pkg is None:
            raise DependencyError(
                f"nothing satisfies {req!r} (needed by {path[-1] if path else 'the roots'})")
        chosen[name] = pkg
        for dep in pkg[2]:
            visit(dep, path + [name])

    for root in roots:
        visit(root, [])
    return chosen


def bf_edges(chosen):
    return {name: {bf_req(r)[0] for r in pkg[2]} & set(chosen) for name, pkg in chosen.items()}


def bf_order(chosen):
    edges = bf_edges(chosen)
    placed = []
    while len(placed) < len(edges):
        ready = [n for n in edges if n not in placed and edges[n] <= set(placed)]
        if not ready:
            raise DependencyError("cycle")
        placed.append(min(ready))
    return [chosen[n] for n in placed]


def bf_users(chosen, name):
    return {other for other, pkg in chosen.items() if name in {bf_req(r)[0] for r in pkg[2]}}


def bf_report(chosen, name, keep=()):
    keep = {bf_name(k) for k in keep}
    users = {n: bf_users(chosen, n) for n in chosen}
    broken, todo = set(), [name]
    while todo:
        for user in users[todo.pop()]:
            if user not in broken:
                broken.add(user)
                todo.append(user)
    broken.discard(name)
    gone = broken | {name}
    orphans = set()
    while True:
        more = {n for n in chosen if n not in gone | orphans | keep
                and users[n] and users[n] <= gone | orphans}
        if not more:
            break
        orphans |= more
    return {"removed": (name, chosen[name][1]), "direct": sorted(users[name]),
            "broken": sorted(broken), "orphans": sorted(orphans),
            "kept": len(chosen) - 1 - len(broken) - len(orphans)}


def random_repo(seed, names=40, cyclic=False):
    rng = random.Random(seed)
    spellings = {}
    for i in range(names):
        base = rng.choice(["pkg_", "Lib-", "ünï_", "mod"]) + str(i)
        spellings[i] = [base, base.upper(), " " + base, base.replace("_", "-")]
    repo = []
    for i in range(names):
        for _ in range(rng.randint(1, 4)):
            version = ".".join(str(rng.randint(0, 3)) for _ in range(rng.randint(1, 3)))
            reqs = []
            pool = range(names) if cyclic else range(i)
            for dep in rng.sample(pool, min(len(pool), rng.randint(0, 3))):
                clauses = []
                for _ in range(rng.choice([0, 0, 1, 1, 2])):
                    op = rng.choice(["==", "!=", ">=", "<=", ">", "<"])
                    clauses.append(op + ".".join(str(rng.randint(0, 3))
                                                 for _ in range(rng.randint(1, 2))))
                reqs.append(rng.choice(spellings[dep]) + ",".join(clauses))
            repo.append((rng.choice(spellings[i]), version, reqs))
    rng.shuffle(repo)
    return repo, spellings


def random_chosen(repo):
    chosen = {}
    for pkg in repo:
        chosen.setdefault(bf_name(pkg[0]), pkg)
    return chosen


def outcome(func, *args):
    try:
        return ("ok", func(*args))
    except DependencyError as exc:
        return ("error", str(exc))


# ---------------------------------------------------------------- tests


def test_empty_inputs():
    assert resolve([], []) == {}
    assert install_order({}) == []
    assert versions_of([], "x") == []
    assert newest_satisfying([], "x") is None
    assert dependents({}, "x") == [] and all_dependents({}, "x") == []
    assert dependency_map({}) == {}
    assert who_requires([], "x", "1") == []
    assert validate_repo([]) == 0
    with pytest.raises(DependencyError):
        removal_report({}, "x")


def test_equal_versions_keep_repository_order():
    repo = [("b", "1.0", []), ("B", "1", ["a"]), ("b_", "1.0.0", []), ("a", "2", [])]
    assert versions_of(repo, "b") == [("b", "1.0", []), ("B", "1", ["a"])]
    assert newest_satisfying(repo, "B==1.0.0") == ("b", "1.0", [])
    assert compare_versions("1", "1.0.0") == 0 and compare_versions("v1.0.1", "1") == 1
    assert find_package(repo, " B ", "1.0.0") == ("b", "1.0", [])
    assert resolve(repo, ["a", "b>0"]) == {"a": ("a", "2", []), "b": ("b", "1.0", [])}
    assert resolve(repo[1:], ["b"]) == {"b": ("B", "1", ["a"]), "a": ("a", "2", [])}
    with pytest.raises(DependencyError):
        validate_repo(repo)
    # tie order in install: alphabetical among the ready ones
    chosen = resolve([("z", "1", []), ("m", "1", []), ("top", "1", ["z", "m", "a"]),
                      ("a", "1", [])], ["top"])
    assert [p[0] for p in install_order(chosen)] == ["a", "m", "z", "top"]


def test_unicode_and_spelling_variants():
    repo = [("Ünï_Code", "1.2", []), ("café", "0.1", ["ÜNÏ-code>=1"]), ("CAFÉ", "0.2", ["nope"])]
    assert normalize_name(" Ünï_Code ") == "ünï-code"
    assert resolve(repo, ["Café<0.2"]) == {"café": repo[1], "ünï-code": repo[0]}
    assert parse_requirement("ünï_code>=1,!=1.5") == ("ünï-code", ((">=", (1,)), ("!=", (1, 5))))
    assert format_requirement("Ünï_Code", ((">=", (1,)), ("<", (2, 1)))) == "ünï-code>=1,<2.1"
    assert who_requires(repo, "ünï-code", "1.2") == [("café", "0.1")]
    with pytest.raises(DependencyError) as info:
        resolve(repo, ["café"])
    assert "nope" in str(info.value)


def test_bad_input_raises():
    for bad in ["", "1..2", "1.x", "-1.0", "1.-2", "abc", None, ["1"], 1.5, "1.0-beta"]:
        with pytest.raises(DependencyError):
            parse_version(bad)
    for bad in ["", ">=1", "foo=>1", "foo>=", "foo>=1,,<2", "foo ~=1.0", "foo>=-1", "a b",
                None, ("foo",), 7]:
        with pytest.raises(DependencyError):
            parse_requirement(bad)
    for bad in [None, "", "  ", "a b", 3, ["x"]]:
        with pytest.raises(DependencyError):
            normalize_name(bad)
    assert not matches("1.0", "x>1") and matches("0.0.1", "x>0")
    with pytest.raises(DependencyError):
        matches("one", "x>1")
    with pytest.raises(DependencyError):
        resolve([("a", "1", ["b>=2"]), ("b", "1", [])], ["a"])
    with pytest.raises(DependencyError):
        resolve([("a", "1", ["b>=2,=3"]), ("b", "2", [])], ["a"])


def test_cycles():
    repo = [("a", "1", ["b"]), ("b", "1", ["c"]), ("c", "1", ["a"]), ("d", "1", ["d"]),
            ("e", "1", ["a"])]
    chosen = resolve(repo, ["e", "d"])
    assert sorted(chosen) == ["a", "b", "c", "d", "e"]
    with pytest.raises(DependencyError) as info:
        install_order(chosen)
    assert str(info.value) == "dependency cycle among a, b, c, d, e"
    assert all_dependents(chosen, "a") == ["b", "c", "e"]
    assert all_dependents(chosen, "d") == []
    assert dependents(chosen, "d") == ["d"]
    report = removal_report(chosen, "b")
    assert report["broken"] == ["a", "c", "e"] and report["orphans"] == []
    ok = {k: v for k, v in chosen.items() if k in "ab"}
    ok["a"] = ("a", "1", [])
    assert [p[0] for p in install_order(ok)] == ["a", "b"]


def test_inputs_not_mutated():
    repo, spellings = random_repo(5, names=30)
    roots = [spellings[29][0], spellings[20][1]]
    saved_repo, saved_roots = copy.deepcopy(repo), list(roots)
    outcome(resolve, repo, roots)
    chosen = random_chosen(repo)
    saved_chosen = copy.deepcopy(chosen)
    install_order(chosen)
    for name in chosen:
        removal_report(chosen, name, keep=[name])
        all_dependents(chosen, name)
    versions_of(repo, spellings[3][0])
    assert repo == saved_repo and roots == saved_roots and chosen == saved_chosen
    keep = ("x",)
    removal_report(chosen, next(iter(chosen)), keep)
    assert keep == ("x",)


def test_resolve_matches_brute_force():
    kinds = []
    for seed in range(60):
        repo, spellings = random_repo(seed)
        rng = random.Random(seed * 7 + 1)
        roots = [rng.choice(spellings[i]) + rng.choice(["", ">=1", "<3", "!=2", ">0.5"])
                 for i in rng.sample(range(40), 3)]
        expect = outcome(bf_resolve, repo, roots)
        assert outcome(resolve, repo, roots) == expect
        kinds.append(expect[0] if expect[0] == "ok" else expect[1][:7])
        for i in range(0, 40, 7):
            req = rng.choice(spellings[i]) + rng.choice(["", ">=1", "<=2.1", "==1"])
            assert newest_satisfying(repo, req) == bf_newest(repo, req)
    assert min(kinds.count(kind) for kind in ("ok", "conflic", "nothing")) >= 5, kinds


def test_order_and_reports_match_brute_force():
    checked = 0
    for seed in range(30):
        repo, spellings = random_repo(100 + seed, names=35)
        chosen = random_chosen(repo)
        if seed % 3 == 0:
            chosen = {n: chosen[n] for n in sorted(chosen)[::2]}
        assert install_order(chosen) == bf_order(chosen)
        keep = sorted(chosen)[::5]
        for name in sorted(chosen)[seed % 3::3]:
            assert removal_report(chosen, name, keep) == bf_report(chosen, name, keep)
            assert dependents(chosen, name) == sorted(bf_users(chosen, name))
            checked += 1
    assert checked > 200


def test_cyclic_random_graphs():
    for seed in range(15):
        repo, spellings = random_repo(500 + seed, names=25, cyclic=True)
        roots = [spellings[i][2] for i in range(0, 25, 6)]
        got = outcome(resolve, repo, roots)
        assert got == outcome(bf_resolve, repo, roots)
        if got[0] == "ok":
            assert outcome(install_order, got[1])[0] == outcome(bf_order, got[1])[0]
            for name in list(got[1])[:5]:
                assert removal_report(got[1], name) == bf_report(got[1], name)


def test_repository_changes_between_calls():
    repo = [("a", "1.0", ["b"]), ("b", "1.0", [])]
    assert resolve(repo, ["a"])["a"][1] == "1.0"
    repo.append(("A", "1.1", ["b>=2"]))
    with pytest.raises(DependencyError):
        resolve(repo, ["a"])
    repo.append(("b", "2.0", []))
    assert {n: p[1] for n, p in resolve(repo, ["a"]).items()} == {"a": "1.1", "b": "2.0"}
    repo[3][2].append("c")
    repo.append(("c", "0.1", []))
    assert sorted(resolve(repo, ["a<1.1"])) == ["a", "b", "c"]
    del repo[2]
    assert resolve(repo, ["a"])["a"][1] == "1.0"
    assert versions_of(repo, "b") == [("b", "2.0", ["c"]), ("b", "1.0", [])]


def test_chosen_changes_between_calls():
    repo = [("app", "1", ["lib", "log"]), ("lib", "1", ["log"]), ("log", "1", [])]
    chosen = resolve(repo, ["app"])
    assert removal_report(chosen, "log")["broken"] == ["app", "lib"]
    assert [p[0] for p in install_order(chosen)] == ["log", "lib", "app"]
    chosen["lib"] = ("lib", "2", [])
    assert removal_report(chosen, "log")["broken"] == ["app"]
    assert removal_report(chosen, "app")["orphans"] == ["lib", "log"]
    del chosen["app"]
    assert dependents(chosen, "log") == []
    assert removal_report(chosen, "lib") == {"removed": ("lib", "2"), "direct": [], "broken": [],
                                             "orphans": [], "kept": 1}
    chosen["zed"] = ("zed", "1", ["LIB", "log", "log>=1"])
    assert dependency_map(chosen)["zed"] == ["lib", "log"]
    assert [p[0] for p in install_order(chosen)] == ["lib", "log", "zed"]
