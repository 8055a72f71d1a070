"""Run the corpus of hostile inputs (tests/corpus) through the CLI and the Python API, each case guarded.

    python tests/corpus_runner.py CORPUS_DIR OUT_DIR [CASE_ID ...]  > results.json

One process imports svengine once, then forks a child per case and per entry point (so a hundred
cases cost seconds, not a hundred interpreter start-ups). Each child runs under the guard of the
issue: an address-space limit of 1 GiB (`RLIMIT_AS`) and 20 s of wall time (`alarm`, whose default
action kills the child). The CLI child calls `svengine.cli.main.main(argv)` exactly as the console
script does; an exception escaping it is printed as Python would print it (a traceback, exit 1), so
the test sees what a user would see. tests/test_corpus.py also runs a sample through the real
console script to show the two agree.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

GUARD_SECONDS = 20
GUARD_BYTES = 1024**3


def _guard() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GUARD_BYTES, GUARD_BYTES))
    signal.alarm(GUARD_SECONDS)


def _forked(work: Any, stdout: Path, stderr: Path) -> dict[str, Any]:
    """Run `work()` in a guarded child with its output in files; its exit code, signal and time."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            out = os.open(stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            err = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(out, 1)
            os.dup2(err, 2)
            _guard()
            code = work()
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        except BaseException:  # what the interpreter does with an uncaught exception
            traceback.print_exc()
            code = 1
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    _, status = os.waitpid(pid, 0)
    elapsed = round(time.monotonic() - started, 3)
    if os.WIFSIGNALED(status):
        return {"exit": None, "signal": os.WTERMSIG(status), "seconds": elapsed}
    return {"exit": os.WEXITSTATUS(status), "signal": None, "seconds": elapsed}


def _cli(argv: list[str]) -> Any:
    def work() -> int:
        from svengine.cli.main import main

        return main(argv)

    return work


def _api(kind: str, target: Path, report: Path, options: dict[str, Any]) -> Any:
    def work() -> int:
        import svengine
        from svengine.excel.workbooks import workbook_problems

        outcome: dict[str, Any]
        try:
            if (
                kind == "workbook"
            ):  # no public API reads a lone workbook; the CLI's own function does
                problems = workbook_problems(target)[1]
                outcome = {"raised": "InvalidInput" if problems else None}
            else:
                getattr(svengine, kind)(target, **options)
                outcome, problems = {"raised": None}, []
        except svengine.InvalidInput as error:
            outcome, problems = {"raised": "InvalidInput"}, list(error.problems)
        except BaseException as error:
            outcome, problems = (
                {"raised": type(error).__name__, "traceback": traceback.format_exc()},
                [],
            )
        outcome["problems"] = [
            {"code": p.code, "text": str(p), "file": p.location.file} for p in problems
        ]
        report.write_text(json.dumps(outcome), encoding="utf-8")
        return 0

    return work


def run_case(case: dict[str, Any], corpus: Path, out: Path) -> dict[str, Any]:
    target = corpus / case["target"]
    work = out / case["id"]
    work.mkdir(parents=True)
    runs: dict[str, Any] = {}
    commands = {"validate": ["validate", str(target), *case.get("args", [])]}
    if case["kind"] == "folder":
        commands["evaluate"] = [
            "evaluate",
            str(target),
            "--out",
            str(work / "out"),
            *case.get("args", []),
        ]
    for name, argv in commands.items():
        result = _forked(_cli(argv), work / f"{name}.out", work / f"{name}.err")
        result["stdout"] = (work / f"{name}.out").read_text(encoding="utf-8", errors="replace")
        result["stderr"] = (work / f"{name}.err").read_text(encoding="utf-8", errors="replace")
        runs[name] = result
    written = (
        sorted(str(p.relative_to(work / "out")) for p in (work / "out").rglob("*"))
        if (work / "out").exists()
        else None
    )
    report = work / "api.json"
    args = case.get("args", [])
    options = {"max_rows": int(args[args.index("--max-rows") + 1])} if "--max-rows" in args else {}
    api = _forked(_api(case["api"], target, report, options), work / "api.out", work / "api.err")
    api.update(
        json.loads(report.read_text(encoding="utf-8"))
        if report.exists()
        else {"raised": "no report", "problems": []}
    )
    api["stderr"] = (work / "api.err").read_text(encoding="utf-8", errors="replace")
    # What the runner itself put in the case's folder; anything else was written by a run.
    own = {f"{name}.{end}" for name in [*commands, "api"] for end in ("out", "err")}
    stray = sorted(p.name for p in work.iterdir() if p.name not in own | {"api.json", "out"})
    return {"id": case["id"], "runs": runs, "out_dir": written, "api": api, "stray": stray}


def main(argv: list[str]) -> int:
    corpus, out = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    wanted = set(argv[2:])
    cases = [
        json.loads(line)
        for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    import svengine.cli.main  # noqa: F401 - imported once, before forking, so each child starts warm

    results = [run_case(case, corpus, out) for case in cases if not wanted or case["id"] in wanted]
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() if len(sys.argv) < 3 else open(os.devnull) as _:
        sys.exit(main(sys.argv[1:]))
