from inventory import Item, Order, keep_allowed, process_orders, render_csv, suppliers
from inventory.catalog import cheapest
from inventory.report import category_totals
from inventory.restock import unique


def item(sku: str, supplier: str = "acme", qty: int = 5, price: float = 1.0) -> Item:
    return Item(sku=sku, name=f"n-{sku}", category="tools", supplier=supplier, qty=qty, price=price)


def test_keep_allowed_keeps_catalogue_order() -> None:
    items = [item("a"), item("b"), item("c"), item("a")]
    assert [i.sku for i in keep_allowed(items, ["c", "a"])] == ["a", "c", "a"]
    assert keep_allowed(items, []) == []


def test_suppliers_first_seen_order() -> None:
    items = [item("a", "z"), item("b", "y"), item("c", "z"), item("d", "x")]
    assert suppliers(items) == ["z", "y", "x"]


def test_process_orders_fifo_and_backorders() -> None:
    stock = {"a": 5, "b": 1}
    orders = [
        Order(1, "a", 3),
        Order(2, "a", 3),
        Order(3, "b", 1),
        Order(4, "c", 1),
        Order(5, "a", 2),
    ]
    result = process_orders(orders, stock)
    assert (result.shipped, result.units) == (3, 6)
    assert result.backordered == ["a", "c"]
    assert stock == {"a": 0, "b": 0}


def test_unique_keeps_first() -> None:
    assert unique(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]
    assert unique([]) == []


def test_render_csv() -> None:
    text = render_csv([item("a", qty=2, price=3.5)])
    assert text.splitlines() == [
        "sku,name,category,supplier,qty,price",
        "a,n-a,tools,acme,2,3.50",
    ]
    assert render_csv([]).count("\n") == 1


def test_cheapest_first_on_ties() -> None:
    items = [item("a", price=2.0), item("b", price=1.0), item("c", price=1.0)]
    low = cheapest(items)
    assert low is not None and low.sku == "b"
    assert cheapest([]) is None


def test_category_totals() -> None:
    assert category_totals([item("a", qty=2), item("b", qty=3)]) == {"tools": 5}
