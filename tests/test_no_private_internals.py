"""svengine uses only the public API of the libraries it depends on (issue 13).

A private attribute of pydantic, XlsxWriter or CPython can change in any release; each such use
once saved time and each broke, or could break, silently. This scans src/svengine for:
- the names of the hacks removed in issue 13 (`_prepare_formula`, any `__pydantic_` attribute);
- `gc.disable`, `gc.set_threshold` or `gc.freeze` outside the command line (svengine/cli), which
  owns its process: a library call must leave a host process's collector alone;
- any attribute starting with `_` read from a name bound to a third-party import (`import x`,
  `from x import y`: `x._y`, `y._z`), found through the syntax tree.
Attributes of objects a third-party call returned are not traced (a local variable's origin is not
known to a syntax scan), so the private names of openpyxl's and XlsxWriter's workbook and worksheet
objects are flagged wherever they are read (except on `self`); KNOWN, now empty, would list any
accepted use still to be removed.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "svengine"
FORBIDDEN_TEXT = ("_prepare_formula", "__pydantic_")
GC_CALLS = {"disable", "set_threshold", "freeze"}
# Private attributes of the objects openpyxl and XlsxWriter hand back (a workbook, a worksheet),
# which the import scan below cannot trace: any read of one of their names, on anything but `self`
# or `cls`, is flagged. excel/sheets.py once read six of them (issue 13); excel/parts.py now reads
# those parts itself. KNOWN lists accepted uses still to be removed: none.
KNOWN: set[tuple[str, str]] = set()


def _library_private_names() -> set[str]:
    import io

    import xlsxwriter
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    writer = xlsxwriter.Workbook(io.BytesIO())
    objects = [Workbook, ReadOnlyWorksheet, Worksheet, book, book.active, xlsxwriter.Workbook]
    objects += [xlsxwriter.worksheet.Worksheet, writer, writer.add_worksheet()]
    return {
        name
        for thing in objects
        for name in dir(thing)
        if name.startswith("_") and not name.startswith("__")
    }


LIBRARY_PRIVATE = _library_private_names()


def _files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _third_party(module: str) -> bool:
    top = module.split(".")[0]
    return top != "svengine" and top not in sys.stdlib_module_names


def _imported_names(tree: ast.Module) -> set[str]:
    """Names bound by imports of third-party modules, anywhere in the module."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _third_party(alias.name):
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.update(
                alias.asname or alias.name for alias in node.names if _third_party(node.module)
            )
    return names


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def private_uses(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    where = path.relative_to(SRC).as_posix()
    found = [f"{where}: {name}" for name in FORBIDDEN_TEXT if name in text]
    imported = _imported_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        root = _root_name(node.value)
        if root == "gc" and node.attr in GC_CALLS and not where.startswith("cli/"):
            found.append(f"{where}:{node.lineno}: gc.{node.attr} outside the CLI")
        if (
            node.attr.startswith("_")
            and not (node.attr.startswith("__") and node.attr.endswith("__"))
            and root in imported
        ):
            found.append(f"{where}:{node.lineno}: {root}...{node.attr}")
        elif node.attr in LIBRARY_PRIVATE and root not in ("self", "cls"):
            found.append(f"{where}:{node.lineno}: {root}...{node.attr} (a library object's)")
    # getattr(x, "__pydantic_...") or a string key into a class __dict__ counts too (FORBIDDEN_TEXT).
    return found


def test_no_private_attributes_of_other_libraries() -> None:
    found = [use for path in _files() for use in private_uses(path)]
    assert found == []


def test_the_known_remaining_uses_are_still_there() -> None:
    # When one is removed, drop it from KNOWN so it cannot come back unnoticed.
    for file, name in KNOWN:
        assert f".{name}" in (SRC / file).read_text(encoding="utf-8"), (file, name)


def test_the_scan_finds_each_kind_of_private_use(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    package = tmp_path / "svengine"
    (package / "cli").mkdir(parents=True)
    samples = {
        "a.py": "from xlsxwriter.worksheet import Worksheet\nWorksheet._prepare_formula\n",
        "b.py": "from pydantic import BaseModel\nBaseModel.__dict__['__pydantic_extra__']\n",
        "c.py": "import gc\ngc.disable()\n",
        "d.py": "import openpyxl\nopenpyxl.reader._secret\n",
        "e.py": "from openpyxl import utils as u\nu._hidden()\n",
        "f.py": "def rows(worksheet):\n    return worksheet._get_source()\n",
        "g.py": "def strings(book):\n    return book._number_formats\n",
    }
    for name, text in samples.items():
        (package / name).write_text(text, encoding="utf-8")
    (package / "cli" / "ok.py").write_text("import gc\ngc.disable()\n", encoding="utf-8")
    (package / "fine.py").write_text("import json\njson._default_encoder\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SRC", package)
    flagged = {p.name for p in package.rglob("*.py") if private_uses(p)}
    assert flagged == set(samples)
