"""The house matches docs/architecture.md: its layering, its module list, its errors and its codes.

- The import-linter contracts in pyproject.toml (`[tool.importlinter]`) hold, and they do catch a
  forbidden import (a copy of the package with the core importing the CLI breaks them).
- Every module under src/svengine is named in docs/architecture.md.
- Every public exception class svengine defines derives from SvengineError.
- Every problem code in the source is declared in svengine.problem_codes, and docs/problems.md is
  what that registry generates.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import svengine
from conftest import REPO
from svengine.problem_codes import PROBLEM_CODES, problems_markdown
from svengine.problems import Problem, SvengineError

SRC = REPO / "src" / "svengine"


def _lint_imports(pythonpath: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` (import-linter's command) over the package found first on `pythonpath`."""
    script = Path(sys.executable).with_name("lint-imports")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "importlinter.cli"]
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env, check=False)


def test_the_layering_contracts_hold() -> None:
    run = _lint_imports(REPO / "src")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_a_core_module_importing_the_cli_breaks_the_contracts(tmp_path: Path) -> None:
    shutil.copytree(SRC, tmp_path / "svengine", ignore=shutil.ignore_patterns("__pycache__"))
    ranking = tmp_path / "svengine" / "scoring" / "ranking.py"
    ranking.write_text(ranking.read_text() + "\nimport svengine.cli.main  # forbidden\n")
    run = _lint_imports(tmp_path)
    assert run.returncode != 0, run.stdout
    assert "svengine.scoring.ranking -> svengine.cli.main" in run.stdout


def _module_names() -> list[str]:
    """Each module as docs/architecture.md names it: `scoring/price.py`, or `report/workbook/`."""
    names = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if path.name == "__init__.py":
            if relative.parent != Path("."):
                names.append(f"{relative.parent.as_posix()}/")
        else:
            names.append(relative.as_posix())
    return names


def test_every_module_is_named_in_the_architecture_document() -> None:
    document = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = {word.strip("`") for line in document.splitlines() for word in line.split()}
    missing = [name for name in _module_names() if name not in listed]
    assert not missing, f"docs/architecture.md does not name: {missing}"


def _all_modules() -> list[str]:
    names = ["svengine"]
    for info in pkgutil.walk_packages(svengine.__path__, "svengine."):
        if info.name != "svengine.__main__":
            names.append(info.name)
    return names


def test_every_public_exception_derives_from_svengine_error() -> None:
    # Private exceptions (a leading underscore) carry control flow inside one module and are
    # caught there; anything a caller can catch is public and must be an SvengineError.
    offenders = []
    for name in _all_modules():
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
                and not attribute.startswith("_")
                and not issubclass(value, SvengineError)
            ):
                offenders.append(f"{name}.{attribute}")
    assert not offenders


_CODE_PREFIXES = ("missing_", "unknown_", "duplicate_", "bad_", "negative_", "unexpected_")


def _codes_in_source() -> dict[str, str]:
    """Each code literal the source gives a Problem: directly, through a helper whose first
    parameter (after `self`) is `code`, or assigned to a variable named `code` (code → first file
    using it). Problem itself refuses an undeclared code at run time, for what this scan misses."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {"Problem"} | {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            and (
                [a.arg for a in node.args.args][:1] == ["code"]
                or [a.arg for a in node.args.args][:2] == ["self", "code"]
            )
        }
        literals: list[ast.expr] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = (
                    func.id
                    if isinstance(func, ast.Name)
                    else func.attr
                    if isinstance(func, ast.Attribute)
                    else None
                )
                if called in helpers:
                    keyword = [k.value for k in node.keywords if k.arg == "code"]
                    literals += node.args[:1] + keyword
            elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "code" for target in node.targets
            ):
                value = node.value
                literals += [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
            elif isinstance(node, ast.Constant) and str(node.value).startswith(_CODE_PREFIXES):
                literals.append(node)  # codes handed on as arguments (price_models._check_keys)
        for literal in literals:
            if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                found.setdefault(literal.value, str(path.relative_to(REPO)))
    return found


def test_every_problem_code_used_is_declared() -> None:
    used = _codes_in_source()
    assert len(used) > 100  # the scan sees the codes (a broken scan would pass vacuously)
    undeclared = {code: where for code, where in used.items() if code not in PROBLEM_CODES}
    assert not undeclared, "declare these in src/svengine/problem_codes.py: " + str(undeclared)


def test_every_declared_code_is_used_and_documented() -> None:
    unused = sorted(set(PROBLEM_CODES) - set(_codes_in_source()))
    assert not unused, f"declared but never used: {unused}"
    document = (REPO / "docs" / "problems.md").read_text(encoding="utf-8")
    assert document == problems_markdown(), (
        "docs/problems.md is out of date: python -m svengine.problem_codes > docs/problems.md"
    )
    for code, meaning in PROBLEM_CODES.items():
        assert f"| `{code}` | {meaning} |" in document


def test_a_problem_with_an_undeclared_code_is_refused() -> None:
    with pytest.raises(ValueError, match="not declared"):
        Problem("no_such_code", "a message")
    assert Problem("missing_file", "the file does not exist").code == "missing_file"
