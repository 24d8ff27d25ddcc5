import pytest

from depgraph import (
    DependencyError,
    all_dependents,
    compare_versions,
    dependents,
    format_report,
    install_order,
    install_plan,
    matches,
    newest_satisfying,
    parse_requirement,
    parse_version,
    removal_report,
    resolve,
    versions_of,
)

REPO = [
    ("app", "1.0", ["web>=2.0", "db"]),
    ("app", "2.0", ["web>=2.1,<3", "db>=1.2", "log"]),
    ("web", "2.0", ["log>=1.0"]),
    ("web", "2.4.1", ["log>=1.1"]),
    ("web", "3.0", ["log>=1.2"]),
    ("db", "1.1", []),
    ("db", "1.10", ["log"]),
    ("log", "1.0", []),
    ("log", "1.2", []),
    ("cli", "0.9", ["app==1.0"]),
]


def test_parse_version():
    assert parse_version("1.10.2") == (1, 10, 2)
    assert parse_version("v2.0.0") == (2,)
    assert parse_version(" 0.0 ") == (0,)


def test_compare_versions():
    assert compare_versions("1.10", "1.9") == 1
    assert compare_versions("1.2", "1.2.0") == 0
    assert compare_versions("0.9.9", "1") == -1


def test_parse_requirement_and_matches():
    assert parse_requirement("Foo_Bar>=1.2, <2.0") == ("foo-bar", ((">=", (1, 2)), ("<", (2,))))
    assert parse_requirement("log") == ("log", ())
    assert matches("1.5", "foo>=1.2,<2.0")
    assert not matches("2.0.0", "foo>=1.2,<2.0")
    assert matches("1.4", "foo!=1.3")


def test_versions_and_newest():
    assert [pkg[1] for pkg in versions_of(REPO, "WEB")] == ["3.0", "2.4.1", "2.0"]
    assert newest_satisfying(REPO, "web<3")[1] == "2.4.1"
    assert newest_satisfying(REPO, "db")[1] == "1.10"
    assert newest_satisfying(REPO, "web>5") is None


def test_resolve_picks_newest():
    chosen = resolve(REPO, ["app"])
    assert {name: pkg[1] for name, pkg in chosen.items()} == {
        "app": "2.0", "web": "2.4.1", "log": "1.2", "db": "1.10"}


def test_resolve_conflict_and_missing():
    with pytest.raises(DependencyError):
        resolve(REPO, ["web>=3", "app>=2"])
    with pytest.raises(DependencyError):
        resolve(REPO, ["nothing-here"])


def test_install_order():
    order = install_order(resolve(REPO, ["cli"]))
    assert [(pkg[0], pkg[1]) for pkg in order] == [
        ("log", "1.2"), ("db", "1.10"), ("web", "3.0"), ("app", "1.0"), ("cli", "0.9")]
    assert [pkg[0] for pkg in install_plan(REPO, "db")] == ["log", "db"]


def test_dependents():
    chosen = resolve(REPO, ["cli"])
    assert dependents(chosen, "log") == ["db", "web"]
    assert all_dependents(chosen, "log") == ["app", "cli", "db", "web"]
    assert all_dependents(chosen, "cli") == []


def test_removal_report():
    chosen = resolve(REPO, ["app", "db"])
    report = removal_report(chosen, "web", keep=["DB"])
    assert report == {"removed": ("web", "2.4.1"), "direct": ["app"], "broken": ["app"],
                      "orphans": [], "kept": 2}
    assert removal_report(chosen, "web")["orphans"] == ["db", "log"]
    report = removal_report(chosen, "App", keep=("db",))
    assert report["orphans"] == ["web"] and report["kept"] == 2
    text = format_report(report)
    assert text.splitlines()[0] == "removing app 2.0"
    assert "orphans" in text


def test_bad_input():
    with pytest.raises(DependencyError):
        parse_version("1.x")
    with pytest.raises(DependencyError):
        parse_requirement("foo=>1")
    with pytest.raises(DependencyError):
        removal_report(resolve(REPO, ["db"]), "web")
