"""Organizations as a tree from flat rows: one order for selects, the API and filters."""

from collections import namedtuple

from app.domain.tree import tree_order

Row = namedtuple("Row", "id parent_id name")


def names(rows):
    return [(row.name, depth) for row, depth in tree_order(rows)]


def test_parents_first_siblings_in_vietnamese_name_order():
    rows = [
        Row(1, None, "Tỉnh"),
        Row(2, 1, "Sở Y tế"),
        Row(3, 1, "Ban Dân vận"),
        Row(4, 2, "Bệnh viện"),
        Row(5, None, "Đảng bộ"),  # "Đ" folds to "d": before "T"
    ]
    assert names(rows) == [
        ("Đảng bộ", 0),
        ("Tỉnh", 0),
        ("Ban Dân vận", 1),
        ("Sở Y tế", 1),
        ("Bệnh viện", 2),
    ]


def test_a_node_whose_parent_is_absent_is_a_root():
    """A unit HR sees her subtree: its top has a parent outside, and still heads the tree."""
    rows = [Row(7, 3, "Phòng Nội vụ"), Row(8, 7, "Tổ 1")]
    assert names(rows) == [("Phòng Nội vụ", 0), ("Tổ 1", 1)]


def test_empty():
    assert tree_order([]) == []
