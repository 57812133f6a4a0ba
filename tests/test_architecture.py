"""The package's shape, measured with `ast` (docs/architecture.md): no import cycle between modules or between the
package's parts, counting every import (module level and inside functions); no module over 400 lines, at most two
functions over 60 lines; argparse imported by the command line alone.

A part is a top-level module or sub-package of rcm_tables (`rcm_tables.tables`, `rcm_tables.workbook`,
`rcm_tables.report`, ...); the root `rcm_tables/__init__.py` is the public facade and is left out of the part graph.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "rcm_tables"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_LONG_FUNCTIONS = 2


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, for its __init__.py)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports anywhere in its file (functions included), relative imports
    resolved. ``from pkg import x`` counts pkg.x where x is a module, else pkg itself (a name it defines)."""
    package = name if _is_package(path) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(_nearest(alias.name, modules))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else _nearest(target, modules))
    found.discard("")
    found.discard(name)
    return {m for m in found if m in modules}


def _nearest(dotted: str, modules: dict[str, Path]) -> str:
    """The innermost module of the package named by ``dotted`` ("" for another library)."""
    parts = dotted.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return ""


def module_graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = module_files(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def part_of(module: str) -> str | None:
    """``rcm_tables.workbook.sheet`` -> ``rcm_tables.workbook``; the root facade -> None."""
    parts = module.split(".")
    return None if len(parts) == 1 else ".".join(parts[:2])


def part_graph(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for source, targets in modules.items():
        a = part_of(source)
        if a is None:
            continue
        graph.setdefault(a, set())
        for target in targets:
            b = part_of(target)
            if b is not None and b != a:
                graph[a].add(b)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
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
                    found.append(sorted(component))
    return found


def a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One closed path through a component, for the message: a -> b -> ... -> a."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    node = start
    while True:
        nxt = sorted(t for t in graph[node] if t in members)
        back = [t for t in nxt if t == start]
        if back and len(path) > 1:
            return path + [start]
        fresh = [t for t in nxt if t not in seen]
        if not fresh:  # close through any member already on the path
            target = next(t for t in nxt if t in seen)
            return path[path.index(target):] + [target]
        node = fresh[0]
        path.append(node)
        seen.add(node)


def _describe(graph: dict[str, set[str]]) -> str:
    return "\n".join(" -> ".join(a_cycle(graph, c)) + f"   (component of {len(c)}: {', '.join(c)})"
                     for c in cycles(graph))


# ------------------------------------------------------------------------------------------------ the checker's own tests


def test_cycles_finds_a_loop_and_a_path_through_it():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert a_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_inside_functions_and_relative_imports_count(tmp_path):
    pkg = tmp_path / PACKAGE
    (pkg / "tables").mkdir(parents=True)
    (pkg / "workbook").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "tables" / "__init__.py").write_text("from . import table1\n")
    (pkg / "tables" / "table1.py").write_text("def f():\n    from ..workbook import formulas as F\n")
    (pkg / "workbook" / "__init__.py").write_text("X = 1\n")
    (pkg / "workbook" / "formulas.py").write_text("import rcm_tables.tables\n")
    graph = module_graph(pkg)
    assert graph["rcm_tables.tables.table1"] == {"rcm_tables.workbook.formulas"}
    assert graph["rcm_tables.workbook.formulas"] == {"rcm_tables.tables"}
    assert cycles(graph) == [["rcm_tables.tables", "rcm_tables.tables.table1", "rcm_tables.workbook.formulas"]]
    assert part_graph(graph) == {"rcm_tables.tables": {"rcm_tables.workbook"},
                                 "rcm_tables.workbook": {"rcm_tables.tables"}}


# ------------------------------------------------------------------------------------------------ the package


def test_no_module_cycle():
    graph = module_graph()
    assert not cycles(graph), "import cycles between modules:\n" + _describe(graph)


def test_no_cycle_between_parts():
    graph = part_graph(module_graph())
    assert not cycles(graph), "import cycles between the package's parts:\n" + _describe(graph)


def test_no_module_over_400_lines():
    long = {name: n for name, path in module_files().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def long_functions(root: Path = ROOT) -> dict[str, int]:
    out = {}
    for name, path in module_files(root).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    out[f"{name}.{node.name}"] = lines
    return out


def test_at_most_two_functions_over_60_lines():
    long = long_functions()
    assert len(long) <= MAX_LONG_FUNCTIONS, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_argparse_is_imported_by_the_command_line_alone():
    users = set()
    for name, path in module_files().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "argparse" or n.startswith("argparse.") for n in names):
                users.add(name)
    assert users == {f"{PACKAGE}.cli"}


# Dependencies run one way, down this list (docs/architecture.md): a part imports parts of its own layer or below.
LAYERS = {
    "foundation": {"atomic", "collector", "memo", "crashlog", "money", "paths", "problems", "progress", "schemas", "outputs", "public",
                   "streams", "helptext", "plaintable", "memory",
                   "view", "console"},
    "inputs": {"inputs", "reference", "reference_cache", "ledger", "checks", "snapshot"},
    "tables": {"tables"},
    "report": {"report", "notebook"},
    "writers": {"analysis", "csvfiles", "datadict", "document", "init", "published", "workbook", "notebooks"},
    "pipeline": {"pipeline", "verify", "writeall"},
    "front": {"cli", "commands", "__main__", "web"},
}


def test_dependencies_run_one_way():
    rank = {f"{PACKAGE}.{part}": i for i, parts in enumerate(LAYERS.values()) for part in parts}
    graph = part_graph(module_graph())
    unplaced = sorted(p for p in graph if p not in rank)
    assert not unplaced, f"parts in no layer: {unplaced}: add each to LAYERS here and to docs/architecture.md"
    upward = sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets if rank[b] > rank[a])
    assert not upward, "imports that climb a layer:\n" + "\n".join(upward)


def test_a_table_module_imports_none_of_the_writers():
    graph = module_graph()
    writers = {f"{PACKAGE}.{part}" for part in LAYERS["writers"] | LAYERS["report"] | LAYERS["pipeline"]}
    climbing = {m: sorted(t for t in targets if part_of(t) in writers)
                for m, targets in graph.items() if part_of(m) == f"{PACKAGE}.tables"}
    assert not {m: t for m, t in climbing.items() if t}


# ------------------------------------------------------------------ the tests' own shape

TESTS = Path(__file__).resolve().parent


def import_problems_of_tests(root: Path = TESTS) -> list[str]:
    """What the tests' files do that they should not: import a test module (or conftest) instead of a helpers
    module, import a helper by its bare name (which works only with its folder on sys.path), or touch sys.path."""
    modules = module_files(root)
    bare = {name.rpartition(".")[2] for name in modules} - {root.name}
    problems = []
    for name, path in modules.items():
        where = path.relative_to(root.parent).as_posix()
        package = name if _is_package(path) else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([base] if base else [])])
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
                if base == "sys" and any(alias.name == "path" for alias in node.names):
                    problems.append(f"{where}:{node.lineno} imports sys.path")
            elif (isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name)
                  and node.value.id == "sys"):
                problems.append(f"{where}:{node.lineno} uses sys.path")
            for target in targets if isinstance(node, ast.Import) else targets[:1]:  # a from-import: its module
                if target.split(".")[0] in bare:
                    problems.append(f"{where}:{node.lineno} imports {target} by its bare name")
            for target in dict.fromkeys(targets):
                last = target.rpartition(".")[2]
                if target in modules and (last.startswith("test_") or last == "conftest"):
                    problems.append(f"{where}:{node.lineno} imports the test module {target}")
    return problems


def test_the_tests_import_check_finds_each_kind_of_problem(tmp_path):
    tests = tmp_path / "tests"
    (tests / "sub").mkdir(parents=True)
    for init in (tests / "__init__.py", tests / "sub" / "__init__.py", tests / "conftest.py"):
        init.write_text("")
    (tests / "helpers.py").write_text("X = 1\n")
    (tests / "test_a.py").write_text("from tests.helpers import X\nfrom .helpers import X as Y\n")
    (tests / "sub" / "test_b.py").write_text(
        "import sys\nsys.path.insert(0, '.')\nfrom helpers import X\n"
        "def f():\n    from tests import test_a\n    from ..test_a import X\n    from .. import conftest\n")
    assert sorted(import_problems_of_tests(tests)) == [
        "tests/sub/test_b.py:2 uses sys.path",
        "tests/sub/test_b.py:3 imports helpers by its bare name",
        "tests/sub/test_b.py:5 imports the test module tests.test_a",
        "tests/sub/test_b.py:6 imports the test module tests.test_a",
        "tests/sub/test_b.py:7 imports the test module tests.conftest",
    ]


def test_no_test_module_imports_another_and_no_file_under_tests_touches_sys_path():
    """Tests are a package (tests.xxx): shared helpers live in helper modules (tests/helpers.py, tests/xlsx.py,
    tests/document/docread.py, ...) that test modules import as tests.xxx; no test module imports another or
    conftest.py, and nothing edits sys.path (pytest puts the checkout's root there, being the tests' package root)."""
    assert import_problems_of_tests() == []
