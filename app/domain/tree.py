"""Organizations as a tree, from flat rows (any objects with `id`, `parent_id` and `name`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from .text import fold

Node = TypeVar("Node")


def name_order(node) -> tuple[str, str]:
    """Vietnamese name order: the name without diacritics and case, then the name itself."""
    return fold(node.name), node.name


def tree_order(nodes: Iterable[Node]) -> list[tuple[Node, int]]:
    """(node, depth) with each node before its children, siblings in name order. A node whose
    parent is not among `nodes` (the top of a unit HR's subtree) is a root (depth 0)."""
    nodes = list(nodes)
    ids = {node.id for node in nodes}
    children: dict[object, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id if node.parent_id in ids else None, []).append(node)
    ordered: list[tuple[Node, int]] = []
    stack = [(node, 0) for node in sorted(children.get(None, []), key=name_order, reverse=True)]
    while stack:
        node, depth = stack.pop()
        ordered.append((node, depth))
        below = sorted(children.get(node.id, []), key=name_order, reverse=True)
        stack.extend((child, depth + 1) for child in below)
    return ordered
