from invoicing import Line, Statement, TaxTable


def make():
    st = Statement("c", TaxTable("food=10;default=20"))
    st.add(Line("A", "food", 2, "5.00"))
    st.add(Line("B", "misc", 1, "10"))
    return st


def test_total():
    assert make().total() == 23.0


def test_render():
    text = make().render()
    assert text.splitlines()[0].split() == ["1", "A", "2", "x", "5.00", "=", "11.00"]
    assert text.splitlines()[-1].endswith("23.00")


def test_top():
    assert make().top_skus(1) == ["B"]
