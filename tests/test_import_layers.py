"""Layers declared and kept (issue 27, item 3): the import graph of the package, counting imports
inside functions (grimp reads every import statement), has no cycle -- between modules, and between
subpackages -- with no exception: the import-linter contract (pyproject.toml) ignores no import."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")   # the test extra installs it

ROOT = Path(__file__).resolve().parent.parent


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == "layers")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("scalingtheory", cache_dir=None)


def _edges(graph, group=lambda m: m) -> dict[str, set[str]]:
    """``{importer: {imported}}`` between ``group``s of modules, every import counted."""
    out: dict[str, set[str]] = {}
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = group(importer), group(imported)
            if a != b:
                out.setdefault(a, set()).add(b)
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted.

    >>> cycles({"a": {"b"}, "b": {"a", "c"}, "c": set()})
    [['a', 'b']]
    >>> cycles({"a": {"b"}, "b": {"c"}})
    []
    """
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    nodes = sorted(set(edges) | {v for vs in edges.values() for v in vs})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(out)


def _subpackage(module: str) -> str:
    """``scalingtheory.X`` of a module (the root package stays itself)."""
    return ".".join(module.split(".")[:2])


def test_no_import_cycle_between_modules(graph):
    assert cycles(_edges(graph)) == []


def test_no_import_cycle_between_subpackages(graph):
    """models, fitting, plots, report, ... and the core modules, each one node."""
    # a package's __init__ importing its own modules is not a cycle between subpackages
    assert cycles(_edges(graph, _subpackage)) == []


def test_the_contract_ignores_no_import():
    """Zero exceptions: an ``ignore_imports`` entry would hide a layer crossed from lint-imports."""
    assert not _contract().get("ignore_imports")


def test_the_cycle_finder_finds_a_cycle_through_the_real_graph(graph):
    """One import against the layers (a model module importing the report) makes the graph cyclic at both
    levels: the tests above could fail."""
    edges = _edges(graph)
    assert "scalingtheory.report.report" in edges and "scalingtheory.models.base" in edges
    edges["scalingtheory.models.base"] = edges["scalingtheory.models.base"] | {"scalingtheory.report.report"}
    assert any("scalingtheory.models.base" in c for c in cycles(edges))
    packages = {}
    for a, bs in edges.items():
        packages.setdefault(_subpackage(a), set()).update(_subpackage(b) for b in bs if _subpackage(b) != _subpackage(a))
    assert any({"scalingtheory.models", "scalingtheory.report"} <= set(c) for c in cycles(packages))


def test_the_layers_contract_is_kept(capsys):
    """What ``lint-imports`` checks in CI, here too, so the default suite reports a layer crossed (no cache
    written)."""
    use_cases = pytest.importorskip("importlinter.application.use_cases")
    from importlinter import configuration

    configuration.configure()   # what the lint-imports command does first
    kept = use_cases.lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True)
    assert kept, capsys.readouterr().out[-3000:]
