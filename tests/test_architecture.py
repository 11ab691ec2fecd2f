"""Dependencies run one way (DESIGN §2): no upward import, no package cycle, no module using
another module's _private names. Read from the source with `ast`, nothing is imported."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Lowest first. A module may import its own component, anything ranked lower, and nothing
# ranked higher. The registry is ordered inside (audit < auth < officials < qualifications);
# the officials' sheet (import, export and the commands driving them) reads and writes
# qualification records, so it sits above qualifications. The longest matching prefix wins.
COMPONENTS = {
    # core: below every feature
    "app.domain": 0,
    "app.extensions": 0,
    "app.database": 0,
    "app.validation": 0,
    "app.i18n": 0,
    "app.forms": 0,
    "app.model_helpers": 0,
    "app.settings": 0,
    "app.redirects": 0,
    "app.memory": 0,
    "app.routing": 0,
    "app.integrity": 0,
    "app.error_shape": 0,
    "app.permissions": 0,
    "app.navigation": 0,
    "app.qr": 0,
    "app.spreadsheets": 0,
    "app.health": 0,
    "app.request_log": 0,
    "app.panels": 0,
    # registry
    "app.audit": 10,
    "app.auth": 11,
    "app.officials": 13,
    "app.qualifications": 14,
    "app.officials.imports": 15,
    "app.officials.import_": 15,
    "app.officials.importer": 15,
    "app.officials.exporter": 15,
    "app.officials.export_routes": 15,
    "app.officials.cli": 15,
    # Notifications subscribe to the registry's signals (a decided proposal notifies, DESIGN
    # §2), so they rank above every registry feature that sends one; the training features
    # above call notify() and register their kinds.
    "app.notifications": 16,
    # training
    "app.courses": 20,
    "app.enrolment": 21,
    "app.attendance": 22,
    # childcare, calendar
    "app.childcare": 30,
    "app.calendar": 30,
    # Mục tiêu 1–2 data and computation, which the progress reports show beside Mục tiêu 3
    "app.plan": 35,
    # progress (Mục tiêu 3 and the report of the whole target set), background jobs
    "app.progress": 40,
    "app.jobs": 40,
    # the yearly report reads every objective, training and childcare figure of a unit
    "app.plan.yearly": 45,
    # the JSON API calls every feature's services
    "app.api": 50,
    # wiring: the factory, the whole schema, errors, the login wiring, the home page, demo data
    "app": 60,
    "app.models": 60,
    "app.errors": 60,
    "app.security": 60,
    "app.core": 60,
    "app.demo": 60,
    "app.backup": 60,
    "app.worker": 60,
}
# A feature's __init__ registers its views (wiring), so it may import its own package's
# modules whatever their rank.


def module_name(path: Path, root: Path = APP) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def component(module: str) -> str:
    best = "app"
    for prefix in COMPONENTS:
        if (
            module == prefix
            or module.startswith(prefix + ".")
            or (prefix.endswith("_") and module.startswith(prefix))
        ) and len(prefix) > len(best):
            best = prefix
    return SAME_COMPONENT.get(best, best)


# Prefixes that form one component together (the officials' sheet).
SAME_COMPONENT = {
    "app.officials.import_": "app.officials.imports",
    "app.officials.importer": "app.officials.imports",
    "app.officials.exporter": "app.officials.imports",
    "app.officials.export_routes": "app.officials.imports",
    "app.officials.cli": "app.officials.imports",
}


def rank(module: str) -> int:
    return COMPONENTS[component(module)]


def imports_of(path: Path, root: Path = APP):
    """(line, imported module, imported names) of every import in the file, at any depth."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            if target.startswith("app"):
                # `from app.x import y` may name a module y: count it as importing app.x.y
                for imported in names:
                    candidate = root.parent.joinpath(*f"{target}.{imported}".split("."))
                    if candidate.with_suffix(".py").exists() or candidate.is_dir():
                        yield node.lineno, f"{target}.{imported}", []
            yield node.lineno, target, names


def app_imports(root: Path = APP):
    for path in sorted(root.rglob("*.py")):
        source = module_name(path, root)
        for line, target, names in imports_of(path, root):
            if target == "app" or target.startswith("app."):
                yield path, line, source, target, names


def upward_imports(root: Path = APP) -> list[str]:
    found = []
    for path, line, source, target, _names in app_imports(root):
        if path.name == "__init__.py" and target.startswith(source + "."):
            continue  # a package wiring its own views
        if rank(target) > rank(source):
            found.append(f"{path.relative_to(root.parent)}:{line} {source} -> {target}")
    return found


def component_graph(root: Path = APP) -> dict[str, set[str]]:
    """component -> the components it imports."""
    graph: dict[str, set[str]] = {}
    for path, _line, source, target, _names in app_imports(root):
        if path.name == "__init__.py" and target.startswith(source + "."):
            continue
        a, b = component(source), component(target)
        graph.setdefault(a, set())
        if a != b:
            graph[a].add(b)
            graph.setdefault(b, set())
    return graph


def package_cycles(root: Path = APP) -> list[list[str]]:
    """Strongly connected components (more than one component) of the component graph."""
    graph = component_graph(root)
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                cycles.append(sorted(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_imports(root: Path = APP) -> list[str]:
    """`from x import _y`, and `x._y` where x is a module of app/ imported by the file."""
    found = [
        f"{path.relative_to(root.parent)}:{line} {target}.{name}"
        for path, line, _source, target, names in app_imports(root)
        for name in names
        if _private(name)
    ]
    for path in sorted(root.rglob("*.py")):
        modules = {
            alias.asname or alias.name
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom)
            and (node.level or (node.module or "").startswith("app"))
            for alias in node.names
        }
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and _private(node.attr)
            ):
                found.append(
                    f"{path.relative_to(root.parent)}:{node.lineno} {node.value.id}.{node.attr}"
                )
    return found


def test_no_upward_import():
    assert upward_imports() == []


def test_no_package_cycle():
    assert package_cycles() == []


def test_no_module_imports_another_modules_private_names():
    assert private_imports() == []


def test_every_module_has_a_layer():
    unknown = {
        module_name(path)
        for path in APP.rglob("*.py")
        if component(module_name(path)) == "app" and module_name(path) != "app"
    }
    assert unknown == set(), "add the new package to COMPONENTS in tests/test_architecture.py"


@pytest.mark.parametrize(
    "where, source, finding",
    [
        # registry importing progress: an upward import
        ("officials/bad.py", "from ..progress.models import Setting\n", "upward"),
        # core importing a feature
        ("domain/bad.py", "from app.officials import models\n", "upward"),
        ("qualifications/bad.py", "from ..officials.models import _helper\n", "private"),
        (
            "qualifications/bad.py",
            "from ..officials import services\nservices._check()\n",
            "private",
        ),
    ],
)
def test_the_checks_catch_a_bad_import(tmp_path, where, source, finding):
    """The checks themselves: a copy of app/ with one bad import added fails them."""
    import shutil

    copy = tmp_path / "app"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("static", "translations"))
    (copy / where).write_text(source, encoding="utf-8")
    found = {"upward": upward_imports, "private": private_imports}[finding](copy)
    assert any("bad" in line for line in found), found


def test_a_cycle_is_caught(tmp_path):
    """Two components of the same rank importing each other form a cycle."""
    import shutil

    copy = tmp_path / "app"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("static", "translations"))
    (copy / "childcare").mkdir(exist_ok=True)
    (copy / "calendar").mkdir(exist_ok=True)
    (copy / "childcare" / "__init__.py").write_text("")
    (copy / "calendar" / "__init__.py").write_text("")
    (copy / "childcare" / "a.py").write_text("from ..calendar import b\n")
    (copy / "calendar" / "b.py").write_text("from ..childcare import a\n")
    cycles = package_cycles(copy)
    assert ["app.calendar", "app.childcare"] in cycles
