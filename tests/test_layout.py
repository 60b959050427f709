"""The package's layout and import rules, read from the source with ast (docs/architecture.md).

- Only reassess/ui/, pages/ and app.py import Streamlit: no other module of the package reaches it,
  directly or through another reassess module (tests/ and bench/ drive pages under AppTest and
  may import it).
- reassess/model/ is pure: it reaches neither DuckDB nor Streamlit. (It does use pandas, for the
  frames its results hand to the figures.)
- No module in reassess/ is over 600 lines.
- Every command in reassess/cli/__init__.py's COMMANDS has its own module with a ``register``;
  no cli_*.py sits beside the packages.
- The package folders are the pipeline, each with a docstring in its __init__.py, and
  docs/architecture.md describes exactly the packages and modules that are there.

Imports inside functions count; imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reassess"
MAX_LINES = 600
# The pipeline, in order: the folders of reassess/ (docs/architecture.md draws it).
PIPELINE = (
    "extract",
    "snapshot",
    "model",
    "figures",
    "disclosure",
    "present",
    "briefing",
    "store",
    "demo",
    "cli",
    "ui",
)


@dataclass(frozen=True)
class Import:
    """One import statement: the module it names, where it is written."""

    module: str
    file: str  # relative to the checked root, e.g. reassess/model/plan.py
    line: int

    def where(self) -> str:
        return f"{self.file}:{self.line}"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@cache
def imports_of(path: Path, root: Path = ROOT) -> tuple[Import, ...]:
    """Every module an import in the file names, at module level or inside a function.

    ``from a.b import c`` names a.b and a.b.c (c may be a submodule); relative imports are made
    absolute; ``importlib.import_module("x")`` with a literal name counts as importing x.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    file = path.relative_to(root).as_posix()
    found: list[Import] = []
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if _type_checking_only(node):
            assert isinstance(node, ast.If)
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found += [Import(a.name, file, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*up, *([base] if base else [])])
            found.append(Import(base, file, node.lineno))
            found += [Import(f"{base}.{a.name}", file, node.lineno) for a in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(Import(node.args[0].value, file, node.lineno))
    return tuple(sorted(found, key=lambda i: i.line))


def modules_under(root: Path, top: str = "reassess") -> dict[str, Path]:
    """Every module of the package under root: dotted name -> file."""
    return {module_name(p, root): p for p in sorted((root / top).rglob("*.py"))}


def reach(
    start: str, banned: set[str], modules: dict[str, Path], root: Path = ROOT
) -> list[Import] | None:
    """The chain of imports by which module ``start`` reaches a banned top-level module, if any.

    Importing a.b.c runs a/__init__.py and a/b/__init__.py too, so those are followed as well.
    """
    came: dict[str, tuple[Import, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for imp in imports_of(modules[current], root):
            if imp.module.split(".")[0] in banned:
                chain, at = [imp], came[current]
                while at is not None:
                    chain.append(at[0])
                    at = came[at[1]]
                return chain[::-1]
            parts = imp.module.split(".")
            for k in range(1, len(parts) + 1):
                target = ".".join(parts[:k])
                if target in modules and target not in came:
                    came[target] = (imp, current)
                    queue.append(target)
    return None


def explain(chain: list[Import]) -> str:
    return " -> ".join(f"{i.where()} imports {i.module}" for i in chain)


def violations(root: Path, banned: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    """One line per module of root/reassess (outside ``allowed`` packages) reaching ``banned``."""
    modules = modules_under(root)
    out = []
    for name in modules:
        if any(name == a or name.startswith(f"{a}.") for a in allowed):
            continue
        chain = reach(name, banned, modules, root)
        if chain is not None:
            out.append(explain(chain))
    return out


# --------------------------------------------------------------------------- import rules


def test_only_the_ui_pages_and_app_import_streamlit() -> None:
    found = violations(ROOT, {"streamlit"}, allowed=("reassess.ui",))
    for path in sorted(ROOT.glob("*.py")):
        if path.name != "app.py":
            found += [i.where() for i in imports_of(path) if i.module.split(".")[0] == "streamlit"]
    assert not found, "Streamlit outside reassess/ui, pages/ and app.py:\n" + "\n".join(found)


def test_the_model_reaches_neither_duckdb_nor_streamlit() -> None:
    modules = modules_under(ROOT)
    found = [
        explain(chain)
        for name in modules
        if name.startswith("reassess.model")
        and (chain := reach(name, {"duckdb", "streamlit"}, modules)) is not None
    ]
    assert not found, "reassess/model must stay pure (no database, no Streamlit):\n" + "\n".join(
        found
    )


def test_the_import_check_sees_function_level_and_indirect_imports(tmp_path: Path) -> None:
    """The checker itself: a function-level import, an indirect one, TYPE_CHECKING ignored."""
    files = {
        "reassess/__init__.py": '"""x"""\n',
        "reassess/model/__init__.py": '"""x"""\n',
        "reassess/model/pure.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import duckdb\n"
        ),
        "reassess/model/leaky.py": "import math\n\n\ndef f():\n    from ..snapshot import db\n",
        "reassess/snapshot/__init__.py": "",
        "reassess/snapshot/db.py": "import os\nimport duckdb.typing\n",
        "reassess/present/__init__.py": "",
        "reassess/present/label.py": (
            "import importlib\n\n\ndef g():\n    importlib.import_module('streamlit')\n"
        ),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    modules = modules_under(tmp_path)
    assert reach("reassess.model.pure", {"duckdb"}, modules, tmp_path) is None
    chain = reach("reassess.model.leaky", {"duckdb"}, modules, tmp_path)
    assert chain is not None
    assert [(i.file, i.line) for i in chain] == [
        ("reassess/model/leaky.py", 5),
        ("reassess/snapshot/db.py", 2),
    ]
    assert [i.module for i in chain] == ["reassess.snapshot.db", "duckdb.typing"]
    found = violations(tmp_path, {"streamlit"}, allowed=("reassess.ui",))
    assert len(found) == 1 and found[0].endswith("reassess/present/label.py:5 imports streamlit")


# --------------------------------------------------------------------------- sizes and commands


def test_no_module_in_the_package_is_over_600_lines() -> None:
    long = [
        f"{p.relative_to(ROOT)}:{n}: {n} lines, over {MAX_LINES}; split it by what it holds"
        for p in sorted(PACKAGE.rglob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not long, "\n".join(long)


def _commands() -> tuple[tuple[str, ...], int]:
    """COMMANDS from reassess/cli/__init__.py, read without importing it, and its line."""
    tree = ast.parse((PACKAGE / "cli" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "COMMANDS" for t in node.targets)
            and isinstance(node.value, ast.Tuple)
        ):
            return tuple(ast.literal_eval(node.value)), node.lineno
    raise AssertionError("reassess/cli/__init__.py: no COMMANDS = (...) tuple")


def _defines_register(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef) and n.name == "register" for n in tree.body)


def test_every_command_has_its_own_module_and_no_cli_file_is_left_beside_the_packages() -> None:
    commands, line = _commands()
    where = f"reassess/cli/__init__.py:{line}"
    problems = [
        f"{where}: command {name!r} has no reassess/cli/{name}.py with a register(sub)"
        for name in commands
        if not (PACKAGE / "cli" / f"{name}.py").is_file()
        or not _defines_register(PACKAGE / "cli" / f"{name}.py")
    ]
    problems += [
        f"{p.relative_to(ROOT)}:1: defines register() but is not in COMMANDS ({where})"
        for p in sorted((PACKAGE / "cli").glob("*.py"))
        if p.stem not in commands and p.stem != "__init__" and _defines_register(p)
    ]
    problems += [
        f"{p.relative_to(ROOT)}:1: a command module outside reassess/cli/; move it there"
        for p in sorted([*PACKAGE.glob("cli_*.py"), *ROOT.glob("cli_*.py"), PACKAGE / "cli.py"])
        if p.exists()
    ]
    assert len(commands) == len(set(commands)), f"{where}: a command is listed twice"
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- the folders


def _packages() -> list[Path]:
    return sorted(p for p in PACKAGE.iterdir() if p.is_dir() and any(p.rglob("*.py")))


def _docstring(path: Path) -> str | None:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))


def test_the_pipeline_folders_are_packages_with_a_docstring() -> None:
    names = {p.name for p in _packages()}
    problems = [
        f"reassess/{name}/: a pipeline folder that is missing"
        for name in PIPELINE
        if name not in names
    ]
    for folder in [p for top in _packages() for p in [top, *top.rglob("*")] if p.is_dir()]:
        if folder.name == "__pycache__" or not any(folder.glob("*.py")):
            continue
        init = folder / "__init__.py"
        if not init.is_file():
            problems.append(f"{folder.relative_to(ROOT)}/: no __init__.py")
        elif not _docstring(init):
            problems.append(
                f"{init.relative_to(ROOT)}:1: no docstring (one line: what the package holds)"
            )
    assert not problems, "\n".join(problems)


ARCH_LINE = re.compile(r"^- `reassess/(\w+)(/|\.py)`")


def test_the_architecture_map_lists_exactly_the_packages_and_modules_in_the_tree() -> None:
    doc = ROOT / "docs" / "architecture.md"
    lines = doc.read_text(encoding="utf-8").splitlines()
    listed = {
        m.group(1) + m.group(2): n
        for n, text in enumerate(lines, 1)
        if (m := ARCH_LINE.match(text))
    }
    tree = {f"{p.name}/" for p in _packages()} | {
        p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"
    }
    problems = [
        f"reassess/{name}: not described in docs/architecture.md (add a '- `reassess/{name}`' line)"
        for name in sorted(tree - set(listed))
    ]
    problems += [
        f"docs/architecture.md:{listed[name]}: reassess/{name} is not in the tree"
        for name in sorted(set(listed) - tree)
    ]
    order = [
        n.rstrip("/") for n in sorted(listed, key=lambda n: listed[n]) if n.rstrip("/") in PIPELINE
    ]
    assert order == [p for p in PIPELINE if f"{p}/" in listed], (
        "docs/architecture.md: list the packages in the pipeline's order"
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", PIPELINE)
def test_each_pipeline_package_is_in_the_picture(name: str) -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    picture = text.split("```")[1] if text.count("```") >= 2 else ""
    assert name in picture, f"docs/architecture.md: the pipeline picture does not show {name}"
