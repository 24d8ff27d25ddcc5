import random
from collections import defaultdict

import pytest

from budget import (
    budget_status,
    categorize,
    category_of,
    detect_recurring,
    low_balance_days,
    merge_transactions,
    month_over_month,
    monthly_totals,
    months_of,
    normalize_payee,
    parse_amount,
    parse_date,
    parse_rules,
    parse_transactions,
    running_balances,
    to_csv,
    top_payees,
    uncategorized_payees,
)

RULES = [
    ("WHOLE FOODS|TRADER JOE", "Groceries"),
    ("STARBUCKS|COFFEE", "Coffee"),
    ("SHELL|CHEVRON", "Fuel"),
    ("RENT", "Housing"),
    ("PAYROLL", "Salary"),
]

PAYEES = [
    "POS WHOLE FOODS #12",
    "WHOLE FOODS MKT 0034",
    "Trader Joe's #5",
    "STARBUCKS STORE 9999",
    "SQ *BLUE COFFEE",
    "SHELL OIL 1234",
    "CHEVRON #8",
    "PROPERTY RENT",
    "ACME PAYROLL",
    "CORNER BOOKSHOP",
    "VENMO",
]


def random_rows(rng, n):
    rows = []
    for _ in range(n):
        when = f"2023-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
        amount = rng.randint(-20000, 5000) / 100
        rows.append([when, rng.choice(PAYEES), f"{amount:.2f}", rng.choice(["chk", "cc"]), ""])
    return rows


def cents(text):
    return round(float(text) * 100)


def test_empty_inputs():
    assert parse_transactions("") == []
    assert parse_transactions("date,payee,amount\n\n") == []
    assert parse_rules("\n  # only a comment\n") == []
    assert monthly_totals([], RULES) == {}
    assert months_of([]) == []
    assert running_balances([], {"chk": 5.0}) == []
    assert low_balance_days([], {}, 0.0) == []
    assert detect_recurring([]) == []
    assert top_payees([], 3) == []
    assert month_over_month([], RULES) == []
    assert merge_transactions([], []) == []
    assert categorize([], RULES) == []
    assert uncategorized_payees([], RULES) == []
    assert budget_status([], RULES, {"Coffee": 10.0}, "2023-01") == [
        ("Coffee", 10.0, 0.0, 10.0, "ok")
    ]


def test_parse_errors():
    with pytest.raises(ValueError):
        parse_transactions("date,payee\n2023-01-01,X\n")
    with pytest.raises(ValueError):
        parse_transactions("date,payee,amount\n2023-01-01,X,12.345\n")
    with pytest.raises(ValueError):
        parse_transactions("date,payee,amount\n2023-13-01,X,1.00\n")
    with pytest.raises(ValueError):
        parse_transactions("date,payee,amount,memo\n2023-01-01,X,1.00\n")
    with pytest.raises(ValueError):
        parse_amount("abc")
    with pytest.raises(ValueError):
        parse_amount("")
    with pytest.raises(ValueError):
        parse_date("yesterday")
    with pytest.raises(ValueError):
        parse_rules("no arrow here")
    with pytest.raises(ValueError):
        parse_rules("([unclosed -> Broken")
    with pytest.raises(ValueError):
        parse_rules(" -> Nothing")


def test_parse_account_default_and_formats():
    text = "Payee,Amount,Date\nRENT,-10,31.01.2023\nX,$5,2/1/2023\n"
    rows = parse_transactions(text, account="joint")
    assert rows == [
        ["2023-01-31", "RENT", "-10.00", "joint", ""],
        ["2023-02-01", "X", "5.00", "joint", ""],
    ]
    assert parse_amount("(-4.50)") == 4.5
    assert parse_transactions(to_csv(rows)) == rows


def test_category_order_memo_and_fallbacks():
    rules = [("COFFEE", "Coffee"), ("BLUE", "Blue"), ("gift", "Gifts")]
    assert category_of(["2023-01-01", "SQ *BLUE COFFEE", "-3.00", "a", ""], rules) == "Coffee"
    assert category_of(["2023-01-01", "Shop", "-3.00", "a", "GIFT for mum"], rules) == "Gifts"
    assert category_of(["2023-01-01", "Shop", "3.00", "a", ""], rules) == "Income"
    assert category_of(["2023-01-01", "Shop", "0.00", "a", ""], rules) == "Uncategorized"
    assert category_of(["2023-01-01", "Shop", "-3.00", "a"], rules) == "Uncategorized"


def test_rules_changed_between_calls():
    rows = [["2023-01-02", "STARBUCKS #1", "-4.00", "cc", ""]]
    rules = list(RULES)
    assert categorize(rows, rules)[0][5] == "Coffee"
    assert monthly_totals(rows, rules) == {"2023-01": {"Coffee": -4.0}}
    rules.insert(0, ("STAR", "Treats"))
    assert categorize(rows, rules)[0][5] == "Treats"
    assert monthly_totals(rows, rules) == {"2023-01": {"Treats": -4.0}}
    assert budget_status(rows, rules, {"Treats": 5.0}, "2023-01")[0][2] == 4.0
    rules.clear()
    assert categorize(rows, rules)[0][5] == "Uncategorized"
    assert uncategorized_payees(rows, rules) == ["Starbucks"]


def test_rows_changed_between_calls():
    rows = [["2023-01-02", "SHELL 1234", "-45.00", "cc", ""]]
    opening = {"cc": 100.0}
    assert running_balances(rows, opening)[-1][5] == "55.00"
    assert budget_status(rows, RULES, {"Fuel": 50.0}, "2023-01")[0][4] == "warning"
    rows[0][2] = "-60.00"
    rows.append(["2023-01-01", "CHEVRON", "-1.00", "cc", ""])
    opening["cc"] = 0.0
    assert [r[5] for r in running_balances(rows, opening)] == ["-1.00", "-61.00"]
    assert budget_status(rows, RULES, {"Fuel": 50.0}, "2023-01")[0][2:] == (61.0, -11.0, "over")
    assert top_payees(rows, 1) == [("Shell", 60.0, 1)]
    rows[1][1] = "SHELL 9999"
    assert top_payees(rows, 1) == [("Shell", 61.0, 2)]


def test_outputs_do_not_alias_inputs():
    rows = [["2023-01-02", "SHELL 1234", "-40.00", "cc", ""]]
    tagged = categorize(rows, RULES)
    tagged[0][1] = "changed"
    balances = running_balances(rows, {})
    balances[0][2] = "0.00"
    merged = merge_transactions(rows, [["2023-01-03", "X", "-1.00", "cc", ""]])
    merged[0][0] = "1999-01-01"
    assert rows == [["2023-01-02", "SHELL 1234", "-40.00", "cc", ""]]
    assert len(merged) == 2


def test_merge_multiplicity_and_order():
    coffee = ["2023-01-02", "STARBUCKS #1", "-4.00", "cc", ""]
    existing = [list(coffee), ["2023-01-01", "RENT", "-900.00", "chk", ""]]
    incoming = [
        ["2023-01-02", "POS STARBUCKS #2", "-4.00", "cc", "x"],
        ["2023-01-02", "STARBUCKS", "-4.00", "cc", ""],
        ["2023-01-02", "STARBUCKS", "-4.00", "chk", ""],
        ["2023-01-01", "RENT", "-900.00", "chk", ""],
    ]
    merged = merge_transactions(existing, incoming)
    assert merged == existing + [incoming[1], incoming[2]]
    assert merge_transactions(existing, existing + existing) == existing + existing


def test_running_balances_stable_order():
    rows = [
        ["2023-01-02", "B", "-1.00", "chk", ""],
        ["2023-01-01", "A", "10.10", "chk", ""],
        ["2023-01-02", "C", "-2.00", "chk", ""],
        ["2023-01-02", "D", "-0.10", "cc", ""],
    ]
    result = running_balances(rows, {"chk": 0.2})
    assert [r[1] for r in result] == ["A", "B", "C", "D"]
    assert [r[5] for r in result] == ["10.30", "9.30", "7.30", "-0.10"]
    assert rows[0][1] == "B"
    assert low_balance_days(rows, {"chk": 0.2}, 8.0) == [
        ("2023-01-02", "cc", -0.1),
        ("2023-01-02", "chk", 7.3),
    ]


def test_budget_status_ties_zero_and_errors():
    rows = [
        ["2023-03-01", "SHELL", "-50.00", "cc", ""],
        ["2023-03-02", "STARBUCKS", "-10.00", "cc", ""],
        ["2023-03-03", "STARBUCKS", "2.00", "cc", "refund"],
        ["2023-04-01", "TRADER JOE'S", "-30.00", "cc", ""],
    ]
    budgets = {"Fuel": 100.0, "Coffee": 16.0, "Groceries": 0.0, "Housing": 0}
    report = budget_status(rows, RULES, budgets, "2023-03")
    assert report == [
        ("Coffee", 16.0, 8.0, 8.0, "ok"),
        ("Fuel", 100.0, 50.0, 50.0, "ok"),
        ("Groceries", 0.0, 0.0, 0.0, "ok"),
        ("Housing", 0.0, 0.0, 0.0, "ok"),
    ]
    over = budget_status(rows, RULES, budgets, "2023-04")
    assert over[0] == ("Groceries", 0.0, 30.0, -30.0, "over")
    with pytest.raises(ValueError):
        budget_status(rows, RULES, budgets, "2023-4")
    with pytest.raises(ValueError):
        budget_status(rows, RULES, {"Fuel": -1.0}, "2023-03")


def test_recurring_periods_and_filters():
    rows = []
    for i in range(6):
        rows.append(
            [f"2023-01-{1 + 7 * i:02d}" if i < 5 else "2023-02-05", "CLEANER", "-90.00", "chk", ""]
        )
    for day in ("2023-01-01", "2023-01-15", "2023-01-29", "2023-02-12"):
        rows.append([day, "PAYROLL", "2000.00", "chk", ""])
        rows.append([day, "DAYCARE", "-300.00", "chk", ""])
    for day in ("2023-01-01", "2023-01-20", "2023-03-25", "2023-03-29"):
        rows.append([day, "RANDOM SHOP", "-5.00", "chk", ""])
    variable = (("2023-01-03", "-10.00"), ("2023-02-03", "-20.00"), ("2023-03-03", "-10.00"))
    for day, amount in variable:
        rows.append([day, "VARIABLE", amount, "chk", ""])
    found = detect_recurring(rows)
    assert found == [
        ("Daycare", "biweekly", 300.0, 4, "2023-02-26"),
        ("Cleaner", "weekly", 90.0, 6, "2023-02-12"),
    ]
    assert detect_recurring(rows, min_count=5) == [found[1]]
    assert ("Variable", "monthly", 13.33, 3, "2023-04-02") in detect_recurring(
        rows, amount_tolerance=1.0
    )
    with pytest.raises(ValueError):
        detect_recurring(rows, min_count=1)


def test_recurring_tie_order():
    rows = []
    for name in ("ZETA", "ALPHA"):
        for m in range(1, 4):
            rows.append([f"2023-0{m}-10", name, "-9.99", "cc", ""])
    assert [r[0] for r in detect_recurring(rows)] == ["Alpha", "Zeta"]


def test_top_payees_ties_and_month():
    rows = [
        ["2023-01-01", "B SHOP", "-5.00", "cc", ""],
        ["2023-01-02", "A SHOP", "-5.00", "cc", ""],
        ["2023-02-02", "C SHOP #1", "-7.00", "cc", ""],
        ["2023-02-03", "C SHOP #2", "-1.00", "cc", ""],
        ["2023-02-03", "D SHOP", "9.00", "cc", ""],
    ]
    assert top_payees(rows, 2) == [("C Shop", 8.0, 2), ("A Shop", 5.0, 1)]
    assert top_payees(rows, 5, "2023-01") == [("A Shop", 5.0, 1), ("B Shop", 5.0, 1)]
    assert top_payees(rows, 0) == []
    with pytest.raises(ValueError):
        top_payees(rows, -1)


def test_normalize_payee_edge_cases():
    assert normalize_payee("") == ""
    assert normalize_payee("   #1234  ") == ""
    assert normalize_payee("POS PURCHASE DEBIT x") == "Debit X"
    assert normalize_payee("AMAZON MKTPL*AB12CD 5551234") == "Amazon Mktpl Ab12cd"
    assert normalize_payee("b&q store") == "B&q Store"


def test_random_totals_against_reference():
    rng = random.Random(7)
    rows = random_rows(rng, 500)
    expected = defaultdict(lambda: defaultdict(int))
    for row in rows:
        expected[row[0][:7]][category_of(row, RULES)] += cents(row[2])
    got = monthly_totals(rows, RULES)
    assert list(got) == sorted(expected)
    for month, cats in expected.items():
        assert got[month] == {c: v / 100 for c, v in sorted(cats.items())}
    for month in sorted(expected):
        report = budget_status(rows, RULES, {"Groceries": 500.0, "Fuel": 50.0}, month)
        spent = {r[0]: r[2] for r in report}
        assert spent["Groceries"] == -expected[month]["Groceries"] / 100
        assert spent["Fuel"] == -expected[month]["Fuel"] / 100
    lines = month_over_month(rows, RULES)
    assert len(lines) == len({c for m in expected.values() for c in m}) * (len(expected) + 1)


def test_random_balances_against_reference():
    rng = random.Random(11)
    rows = random_rows(rng, 400)
    opening = {"chk": 123.45}
    order = sorted(range(len(rows)), key=lambda i: (rows[i][0], i))
    running = {"chk": 12345, "cc": 0}
    expected = []
    for i in order:
        running[rows[i][3]] += cents(rows[i][2])
        expected.append(rows[i][:5] + [f"{running[rows[i][3]] / 100:.2f}"])
    assert running_balances(rows, opening) == expected


def test_random_merge_against_reference():
    rng = random.Random(3)
    rows = random_rows(rng, 300)
    existing = [list(r) for r in rows[:200]]
    incoming = [list(r) for r in rows[120:]] + [list(r) for r in rows[:10]]
    rng.shuffle(incoming)
    available = defaultdict(int)
    for row in existing:
        available[(row[0], row[2], row[3], normalize_payee(row[1]))] += 1
    expected = [list(r) for r in existing]
    for row in incoming:
        key = (row[0], row[2], row[3], normalize_payee(row[1]))
        if available[key]:
            available[key] -= 1
        else:
            expected.append(row)
    assert merge_transactions(existing, incoming) == expected
    assert existing == rows[:200]


def test_random_top_payees_against_reference():
    rng = random.Random(5)
    rows = random_rows(rng, 400)
    spent = defaultdict(int)
    count = defaultdict(int)
    for row in rows:
        if cents(row[2]) < 0:
            spent[normalize_payee(row[1])] -= cents(row[2])
            count[normalize_payee(row[1])] += 1
    ranked = sorted(spent, key=lambda name: (-spent[name], name))
    assert top_payees(rows, 4) == [(n, spent[n] / 100, count[n]) for n in ranked[:4]]
