"""The import graph of src/azlake: no cycles, no import from a higher layer, the emulator reached at one seam.

Read from the source with ast (module-level and function-level imports alike), so a lazy import cannot hide
an edge of the real graph.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Lowest first; a package may import its own layer's and lower layers' packages, never a higher one.
LAYERS = (
    ("azlake", "azlake.errors", "azlake.catalog"),
    ("azlake.envfile",),    # the environment-file language
    ("azlake.azure",),      # one module per Azure service: reads and single writes through the SDKs
    ("azlake.plan",),       # desired state, diff, planner
    ("azlake.execute",),    # the executor and its waits
    ("azlake.engine",),
    ("azlake.jobs", "azlake.importer"),
    ("azlake.cli", "azlake.__main__"),
)
EMULATOR = "azlake.emulator"
# The only product modules that may import the emulator: where the local cloud's clients are built, and the
# emulator's own command group.
EMULATOR_SEAM = {"azlake.azure.clients", "azlake.cli.emulator"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "azlake").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(name: str) -> str:
    """The module a dotted import name lands in (`azlake.plan.diff.Action` -> `azlake.plan.diff`)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imports(module: str) -> dict[str, int]:
    """azlake modules imported anywhere in `module`, with the line of the first import of each."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for name in names:
            target = _resolve(name) if name.split(".")[0] == "azlake" else ""
            if target and target != module:
                out.setdefault(target, node.lineno)
    return out


GRAPH = {module: _imports(module) for module in MODULES}


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer(module: str) -> int | None:
    for number, layer in enumerate(LAYERS):
        if module in layer or _package(module) in layer:
            return number
    return None


def test_the_graph_is_read():
    """The walk sees the edges it checks: a known module-level and a known function-level import."""
    assert "azlake.plan.diff" in GRAPH["azlake.execute.executor"]
    assert "azlake.emulator" in GRAPH["azlake.azure.clients"]  # imported inside a method
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_back():
    assert _cycles({m: set(targets) for m, targets in GRAPH.items()}) == []


def test_no_cycle_between_packages():
    packages: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        packages.setdefault(_package(module), set()).update(
            _package(t) for t in targets if _package(t) != _package(module))
    assert _cycles(packages) == []


def test_every_package_has_a_layer():
    unplaced = {_package(m) for m in MODULES if _layer(m) is None and _package(m) != EMULATOR}
    assert unplaced == set()


def test_no_import_from_a_higher_layer():
    upward = [f"{MODULES[m].relative_to(SRC)}:{line} imports {t}"
              for m, targets in GRAPH.items() if _package(m) != EMULATOR
              for t, line in targets.items() if _package(t) != EMULATOR and _layer(t) > _layer(m)]
    assert upward == []


def test_the_emulator_depends_on_no_product_module():
    """It emulates Azure from Azure's own material; only the shared error root is common."""
    reached = [f"{MODULES[m].relative_to(SRC)}:{line} imports {t}"
               for m, targets in GRAPH.items() if _package(m) == EMULATOR
               for t, line in targets.items() if _package(t) != EMULATOR and _layer(t) != 0]
    assert reached == []


def test_the_product_reaches_the_emulator_only_at_the_seam():
    outside = [f"{MODULES[m].relative_to(SRC)}:{line} imports {t}"
               for m, targets in GRAPH.items() if _package(m) != EMULATOR and m not in EMULATOR_SEAM
               for t, line in targets.items() if _package(t) == EMULATOR]
    assert outside == []


# --- the resource-kind registry -------------------------------------------------------------------
def _registered_kinds() -> dict[str, str]:
    """Kind name -> the module that defines it, read from the `name = "..."` of every Kind subclass."""
    out = {}
    for module, path in MODULES.items():
        if not module.startswith("azlake.azure."):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "Kind" for b in node.bases):
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and [getattr(t, "id", "") for t in stmt.targets] == ["name"]:
                        out[stmt.value.value] = module
    return out


KIND_NAMES = _registered_kinds()


def test_every_kind_is_registered_once_and_lives_in_its_service_module():
    from azlake.azure.registry import KINDS

    assert set(KINDS) == set(KIND_NAMES), "a Kind subclass is missing from azure/registry.py, or one too many"
    for name, kind in KINDS.items():
        assert type(kind).__module__ == KIND_NAMES[name] and kind.name == name


def test_no_module_outside_a_kinds_own_names_a_kind():
    """The planner, diff, executor, engine, jobs and CLI ask the kind (azure/registry.kind_of); comparing a
    resource's kind with a literal outside the kind's own module is the branch the registry replaced."""
    found = []
    for module, path in MODULES.items():
        if module.startswith(EMULATOR) or module in set(KIND_NAMES.values()):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            names_kind = any(isinstance(s, ast.Attribute) and s.attr == "kind" for s in sides)
            literals = {c.value for s in sides for c in ast.walk(s) if isinstance(c, ast.Constant)}
            if names_kind and literals & set(KIND_NAMES):
                found.append(f"{module}:{node.lineno}")
    assert not found, "kind-specific branches outside the kind's module: " + ", ".join(found)
