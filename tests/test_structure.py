"""The layout holds itself (issue 17): which layer may import which, features apart from the incremental
layer, a no-change path on the standard library alone, and modules and functions of a readable size.

Layers, from the bottom: core <- source <- agenda <- render <- incremental <- pipeline <- tools, with write/
beside (it knows only core). A module may import its own layer and the layers below it that its row lists.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "sitegen"
ALLOWED = {
    "core": {"core"},
    "source": {"core", "source"},
    "agenda": {"core", "source", "agenda"},
    "render": {"core", "source", "agenda", "render"},
    "write": {"core", "write"},
    "incremental": {"core", "source", "agenda", "render", "write", "incremental"},
    "pipeline": {"core", "source", "agenda", "render", "write", "incremental", "pipeline"},
    "tools": {"core", "source", "agenda", "render", "write", "incremental", "pipeline", "tools"},
}
FEATURES = {"source", "agenda", "render"}
# Feature modules that still take the cache or the worker pool from the pipeline: none (issue 25). Kept as
# a guard: the test fails when a pair is added here or a feature imports the incremental layer.
FEATURE_DEBTS: set[tuple[str, str]] = set()
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name under sitegen ("agenda.load", "pipeline")."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts)] = path
    return found


@functools.cache
def parsed(path: Path) -> tuple[ast.Module, tuple[ast.AST, ...]]:
    """A module's syntax tree and every node in it, read once for all the checks below (each parsed every
    module again: 900 parses, 2 s of make test-fast)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return tree, tuple(ast.walk(tree))


def nodes(path: Path) -> tuple[ast.AST, ...]:
    return parsed(path)[1]


def layer(name: str) -> str:
    return name.split(".")[0] if "." in name else name.removesuffix(".__init__")


def imported(name: str, path: Path) -> set[str]:
    """The sitegen modules (dotted, under sitegen) that a module imports, at any depth in the file."""
    package = name.split(".")[:-1] if not name.endswith("__init__") else name.split(".")[:-1]
    found = set()
    for node in nodes(path):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "sitegen":
                target = node.module.split(".")[1:]
            else:
                continue
            if not target:  # "from .. import __version__"
                continue
            for alias in node.names:  # "from .core import dates": the module is core.dates
                candidate = ".".join([*target, alias.name])
                found.add(candidate if candidate in ALL else ".".join(target))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sitegen."):
                    found.add(alias.name.removeprefix("sitegen."))
    return {m for m in found if m in ALL or m.split(".")[0] in ALLOWED}


ALL = modules()


@functools.cache
def edges() -> frozenset[tuple[str, str]]:
    return frozenset((name, target) for name, path in ALL.items() for target in imported(name, path))


def test_every_module_sits_in_a_known_layer():
    unknown = sorted(n for n in ALL if layer(n) not in ALLOWED and n != "__init__")
    assert unknown == [], f"add these to a layer (tests/test_structure.py, docs/architecture.md): {unknown}"


def test_imports_point_down_the_layers_only():
    wrong = sorted(f"{a} imports {b}" for a, b in edges()
                   if layer(a) in ALLOWED and layer(b) not in ALLOWED[layer(a)] and (a, b) not in FEATURE_DEBTS)
    assert wrong == []


def test_features_do_not_take_on_the_incremental_layer():
    found = {(a, b) for a, b in edges() if layer(a) in FEATURES and layer(b) == "incremental"}
    assert found - FEATURE_DEBTS == set(), "a feature module must not import the cache, store or pool"
    assert FEATURE_DEBTS - found == set(), "paid off: remove these from FEATURE_DEBTS"


def cache_parameters(path: Path) -> set[str]:
    """The functions of a module that take a parameter named like the cache or its parts."""
    found = set()
    for node in nodes(path):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if argument.arg in CACHE_NAMES:
                    found.add(f"{getattr(node, 'name', 'lambda')}({argument.arg})")
    return found


CACHE_NAMES = {"cache", "cached", "memo", "untemplated", "known_links", "workers"}


def test_features_take_no_cache_parameter():
    """A feature takes values and, when it has much to do, a map_fn: never the cache, a memo or a pool size."""
    found = {f"{name}: {f}" for name, path in ALL.items() if layer(name) in FEATURES for f in cache_parameters(path)}
    assert found == set()


def test_the_cache_parameter_check_sees_one(tmp_path):
    path = tmp_path / "x.py"
    path.write_text("def render(site, cache=None):\n    pass\n", encoding="utf-8")
    assert cache_parameters(path) == {"render(cache)"}


def module_state(path: Path) -> set[str]:
    """Names a module binds at its top level to a mutable value (a list, dict or set display or call) that
    are not written as constants (UPPER_CASE tables, read only), and `global` statements anywhere: state
    that outlives a build or leaks between tests."""
    found = set()
    tree = parsed(path)[0]
    mutable = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        is_mutable = isinstance(value, mutable) or (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                                                    and value.func.id in ("list", "dict", "set", "defaultdict"))
        if is_mutable:
            found |= {t.id for t in targets if isinstance(t, ast.Name) and not t.id.lstrip("_").isupper()
                      and not t.id.startswith("__")}
    for node in nodes(path):
        if isinstance(node, ast.Global):
            found |= {f"global {name}" for name in node.names}
    return found


def test_no_module_level_mutable_state():
    found = {f"{name}: {item}" for name, path in ALL.items() for item in module_state(path)}
    assert found - MODULE_STATE_ALLOWED == set(), "pass state in, or make it a tuple or frozenset"


# Module-level mutable values allowed, each with its reason; the test fails when another one appears.
MODULE_STATE_ALLOWED = {
    # SQLite connections a forked worker inherits and must neither use nor close: os.register_at_fork's
    # hook takes no arguments, so the list of them can only be the module's (a worker's, never the build's).
    "incremental.store: _inherited",
}


def test_the_module_state_check_sees_a_global_and_a_dict(tmp_path):
    path = tmp_path / "x.py"
    path.write_text("_job = None\n_worker: dict = {}\nTABLE = {}\ndef f():\n    global _job\n", encoding="utf-8")
    assert module_state(path) == {"_worker", "global _job"}


def test_the_rule_test_sees_a_wrong_import(tmp_path):
    """The checks above are only as good as imported(): it must see relative and absolute imports."""
    path = tmp_path / "x.py"
    path.write_text("from ..incremental.cache import BuildCache\nfrom sitegen.render import pages\n"
                    "def f():\n    from ..write import writer\n", encoding="utf-8")
    assert imported("core.x", path) == {"incremental.cache", "render.pages", "write.writer"}


def test_the_no_change_path_loads_the_standard_library_only():
    code = ("import sys; before = set(sys.modules); import sitegen.incremental.fastpath; "
            "print('\\n'.join(sorted(set(sys.modules) - before)))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout.split()
    foreign = sorted(m for m in loaded if m.split(".")[0] not in sys.stdlib_module_names
                     and m.split(".")[0] != "sitegen")
    assert foreign == [], f"the no-change check imports {foreign}: it must stay fast"
    assert "sitegen.incremental.fastpath" in loaded


def test_modules_and_functions_stay_readable():
    long_modules = {n for n, p in ALL.items() if p.read_text(encoding="utf-8").count("\n") > MAX_MODULE_LINES}
    long_functions = set()
    for name, path in ALL.items():
        for node in nodes(path):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    long_functions.add(f"{name}:{node.name}")
    assert long_modules == set(), f"over {MAX_MODULE_LINES} lines: split by job"
    assert long_functions == set(), f"over {MAX_FUNCTION_LINES} lines: name its steps"


def test_the_architecture_page_names_every_module():
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(sitegen/[\w/]+\.py)`", text))
    # "`sitegen/render/search.py`, `search_index.py`": a bare name after a full one sits in the same folder
    for row in re.findall(r"^\| `(sitegen/[\w/]+)/\w+\.py`(.*)$", text, flags=re.M):
        named |= {f"{row[0]}/{name}" for name in re.findall(r"`(\w+\.py)`", row[1])}
    missing = sorted(f"sitegen/{p.relative_to(PACKAGE).as_posix()}" for p in ALL.values()
                     if p.name != "__init__.py" and f"sitegen/{p.relative_to(PACKAGE).as_posix()}" not in named)
    assert missing == [], "name these in the module table of docs/architecture.md"


def test_every_import_in_the_package_resolves():
    """Also the imports inside functions, which only fail when that function runs (a moved module left
    `from .serve import start` in redactie.py behind, and only the browser test of the editor found it)."""
    import importlib

    unresolved = []
    for name, path in ALL.items():
        package = "sitegen." + (name.removesuffix(".__init__") if name.endswith("__init__") else name.rpartition(".")[0])
        package = package.rstrip(".")
        for node in nodes(path):
            if not isinstance(node, ast.ImportFrom) or not (node.level or (node.module or "").startswith("sitegen")):
                continue
            target = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level \
                else node.module
            module = importlib.import_module(target)
            for alias in node.names:
                if not hasattr(module, alias.name):
                    try:
                        importlib.import_module(f"{target}.{alias.name}")
                    except ImportError:
                        unresolved.append(f"{name}:{node.lineno} {target}.{alias.name}")
    assert unresolved == []
