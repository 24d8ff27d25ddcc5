from budget import (
    budget_status,
    categorize,
    detect_recurring,
    format_money,
    merge_transactions,
    month_over_month,
    monthly_totals,
    normalize_payee,
    parse_amount,
    parse_rules,
    parse_transactions,
    running_balances,
    to_csv,
    top_payees,
    uncategorized_payees,
)

CSV = """Date,Description,Amount,Account,Memo
2024-01-03,POS PURCHASE WHOLE FOODS MKT #102,-54.20,checking,
01/05/2024,STARBUCKS STORE 0142,-5.75,credit,
2024-01-15,ACH CREDIT ACME PAYROLL,"2,500.00",checking,
2024-02-03,WHOLE FOODS MKT #7,(61.10),checking,
2024-02-10,Corner Bookshop,-20.00,credit,gift
"""

RULES = parse_rules(
    """
# comment
WHOLE FOODS -> Groceries
STARBUCKS -> Coffee
PAYROLL -> Salary
"""
)


def rows():
    return parse_transactions(CSV)


def test_parse_transactions():
    data = rows()
    assert len(data) == 5
    assert data[0] == ["2024-01-03", "POS PURCHASE WHOLE FOODS MKT #102", "-54.20", "checking", ""]
    assert data[1][0] == "2024-01-05"
    assert data[2][2] == "2500.00"
    assert data[3][2] == "-61.10"


def test_amounts_and_money():
    assert parse_amount("$1,234.5") == 1234.5
    assert parse_amount("(3.10)") == -3.1
    assert format_money(-0.001) == "0.00"
    assert format_money(2) == "2.00"


def test_normalize_payee():
    assert normalize_payee("POS PURCHASE WHOLE FOODS MKT #102") == "Whole Foods Mkt"
    assert normalize_payee("STARBUCKS STORE 0142") == "Starbucks Store"
    assert normalize_payee("trader joe's  #55") == "Trader Joe's"


def test_categorize():
    tagged = categorize(rows(), RULES)
    assert [r[5] for r in tagged] == ["Groceries", "Coffee", "Salary", "Groceries", "Uncategorized"]
    assert uncategorized_payees(rows(), RULES) == ["Corner Bookshop"]


def test_monthly_totals():
    assert monthly_totals(rows(), RULES) == {
        "2024-01": {"Coffee": -5.75, "Groceries": -54.2, "Salary": 2500.0},
        "2024-02": {"Groceries": -61.1, "Uncategorized": -20.0},
    }


def test_budget_status():
    report = budget_status(rows(), RULES, {"Groceries": 60.0, "Coffee": 10.0}, "2024-02")
    assert report == [
        ("Groceries", 60.0, 61.1, -1.1, "over"),
        ("Coffee", 10.0, 0.0, 10.0, "ok"),
    ]


def test_running_balances():
    result = running_balances(rows(), {"checking": 100.0})
    assert [(r[0], r[3], r[5]) for r in result] == [
        ("2024-01-03", "checking", "45.80"),
        ("2024-01-05", "credit", "-5.75"),
        ("2024-01-15", "checking", "2545.80"),
        ("2024-02-03", "checking", "2484.70"),
        ("2024-02-10", "credit", "-25.75"),
    ]


def test_merge_skips_overlap():
    first = rows()[:3]
    again = parse_transactions(to_csv(rows()[1:]))
    merged = merge_transactions(first, again)
    assert len(merged) == 5
    assert merged[3][1] == "WHOLE FOODS MKT #7"


def test_recurring_and_top():
    data = [[f"2024-0{m}-02", "NETFLIX.COM", "-15.49", "credit", ""] for m in range(1, 6)] + [
        ["2024-03-09", "NETFLIX.COM #2", "-15.49", "credit", ""]
    ]
    found = detect_recurring(data[:5])
    assert found == [("Netflix Com", "monthly", 15.49, 5, "2024-06-01")]
    assert top_payees(data, 1) == [("Netflix Com", 92.94, 6)]


def test_month_over_month():
    lines = month_over_month(rows(), RULES)
    assert lines[lines.index("Groceries") + 2] == "  2024-02     -61.10      -6.90 -12.7%"
