import pytest

from invoicing import Line, Statement, TaxTable


def test_tax_table_changed_between_calls_is_seen():
    taxes = TaxTable("default=0")
    st = Statement("c", taxes)
    st.add(Line("A", "x", 1, "1"))
    assert st.total() == 1.0
    taxes.spec = "default=100"
    assert st.total() == 2.0


def test_missing_default_raises():
    st = Statement("c", TaxTable("food=5"))
    st.add(Line("A", "food", 1, "1"))
    st.add(Line("B", "misc", 1, "1"))
    with pytest.raises(KeyError):
        st.total()


def test_bad_price_raises():
    st = Statement("c", TaxTable("default=0"))
    st.add(Line("A", "x", 1, "abc"))
    with pytest.raises(ValueError):
        st.render()


def test_top_ties_and_empty():
    st = Statement("c", TaxTable("default=0"))
    assert st.top_skus(3) == []
    for s in "abc":
        st.add(Line(s, "x", 1, "1"))
    assert st.top_skus(2) == ["a", "b"]
    assert st.top_skus(0) == []
