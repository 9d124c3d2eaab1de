"""The house's shape: every import points down, the page cache stands on its own, and the
database-specific SQL sits behind queryset methods.

The import graph is read from the source (every ``import`` statement, those inside functions
too), so a cycle hidden behind a late import counts as one."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("articles", "pagecache", "digest", "bench", "newsletter")


def project_modules():
    """{dotted name: path} of every module of the project's packages (migrations aside)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            if "migrations" in relative.parts:
                continue
            parts = list(relative.parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imports_of(name, path, modules):
    """The project modules that module *name* imports."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # `from x import y` imports the module x.y when there is one, else x.
            targets = [
                f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in modules else prefix
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph():
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def test_no_module_of_the_project_imports_one_that_imports_it_back():
    graph = import_graph()
    assert "articles.models" in graph and "pagecache.middleware" in graph
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_page_cache_imports_nothing_of_the_project():
    graph = import_graph()
    leaks = {
        (module, target)
        for module, targets in graph.items()
        if module.startswith("pagecache")
        for target in targets
        if not target.startswith("pagecache")
    }
    assert leaks == set()


def test_views_and_pagination_build_no_sql_and_never_ask_for_the_database_vendor():
    pattern = re.compile(r"connection\.vendor|RawSQL|cursor\(\)|on_postgresql")
    for name in ("views.py", "pagination.py", "feeds.py", "sitemaps.py", "chrome.py"):
        source = (ROOT / "articles" / name).read_text()
        assert not pattern.search(source), name


def test_only_the_querysets_ask_which_database_they_run_on():
    pattern = re.compile(r"connection\.vendor|\.vendor ==|\.vendor !=")
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("articles", "pagecache", "newsletter")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "querysets.py"
        and pattern.search(path.read_text())
    ]
    assert offenders == []
