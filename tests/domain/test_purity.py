"""app/domain must import only the standard library and itself (DESIGN §2)."""

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).parents[2] / "app" / "domain"
MODULES = sorted(DOMAIN.rglob("*.py"))


def _imported_modules(tree: ast.AST):
    """Yield (absolute module name or None, relative level, line) for every import."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0, node.lineno
        elif isinstance(node, ast.ImportFrom):
            yield node.module, node.level, node.lineno


def _allowed(module: str | None, level: int, path: Path) -> bool:
    if level:
        # A relative import must stay inside app/domain.
        package_depth = len(path.relative_to(DOMAIN).parts) - 1
        return level <= package_depth + 1
    top = module.split(".")[0]
    return (
        top in sys.stdlib_module_names or module == "app.domain" or module.startswith("app.domain.")
    )


def test_domain_modules_exist():
    assert DOMAIN / "__init__.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_imports_only_the_standard_library(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    offending = [
        f"{path.name}:{line} imports {'.' * level}{module or ''}"
        for module, level, line in _imported_modules(tree)
        if not _allowed(module, level, path)
    ]
    assert offending == []


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        ("import datetime", True),
        ("from collections.abc import Mapping", True),
        ("from __future__ import annotations", True),
        ("from .text import fold", True),
        ("from app.domain.ladders import rank", True),
        ("import flask", False),
        ("from sqlalchemy import select", False),
        ("from app.extensions import db", False),
        ("from .. import extensions", False),
        ("import babel.dates", False),
    ],
)
def test_the_checker_itself(source, allowed):
    tree = ast.parse(source)
    results = [_allowed(m, lv, DOMAIN / "text.py") for m, lv, _ in _imported_modules(tree)]
    assert results == [allowed]
