"""write_set's lock and its recovery, proven with real processes (io/output.py, issue 14).

Two writers of one folder: the first is paused *between two renames* through write_set's public
`step` seam, the second must wait for it (without the lock it would slip its whole set in between
and leave result.json of one writer beside run.json of the other). A writer SIGKILLed after each
possible number of renames leaves a mix, which the next write_set, `recover_set` or `svengine
verify DIR` rolls back to the old set whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from svengine.io.output import recover_set, write_set

SRC = Path(__file__).resolve().parents[1] / "src"
SVENGINE = Path(sys.executable).with_name("svengine")
NAMES = ("result.json", "run.json", "report.xlsx", "evaluation.zip")
STAGING = re.compile(r"^\.svengine-set\.")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock and SIGKILL are POSIX")


def output_set(writer: str, names: tuple[str, ...] = NAMES) -> dict[str, bytes]:
    """A set whose parts agree as evaluate's do: run.json holds the digest of result.json, and the
    bundle holds the same result.json."""
    result = json.dumps({"writer": writer, "padding": writer * 2000}).encode()
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as bundle:
        bundle.writestr("result.json", result)
    files = {
        "result.json": result,
        "run.json": json.dumps({"result_sha256": hashlib.sha256(result).hexdigest()}).encode(),
        "report.xlsx": f"report of {writer}".encode(),
        "evaluation.zip": zipped.getvalue(),
    }
    return {name: files[name] for name in names}


def whole_set_of(out: Path) -> str:
    """The writer whose set `out` holds, after checking that every part is that writer's."""
    result = (out / "result.json").read_bytes()
    run = json.loads((out / "run.json").read_bytes())
    assert run["result_sha256"] == hashlib.sha256(result).hexdigest(), "run.json of another set"
    with zipfile.ZipFile(out / "evaluation.zip") as bundle:
        assert bundle.read("result.json") == result, "the bundle of another set"
    writer = json.loads(result)["writer"]
    assert (out / "report.xlsx").read_bytes() == f"report of {writer}".encode()
    return str(writer)


CHILD = """
import json, os, signal, sys, time
from pathlib import Path
from svengine.io.output import write_set
out, files, pause_at, kill_at, mark, go = sys.argv[1:7]
files = {name: bytes.fromhex(data) for name, data in json.loads(files).items()}

def step(point):
    Path(mark).with_name(Path(mark).name + "." + point.replace(" ", "_")).touch()
    if point == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    if point == pause_at:
        deadline = time.monotonic() + 60  # never left behind by a failed test
        while not Path(go).exists() and time.monotonic() < deadline:
            time.sleep(0.01)

write_set(Path(out), files, force=True, step=step)
"""


def writer(
    out: Path, files: dict[str, bytes], mark: Path, pause_at: str = "", kill_at: str = ""
) -> subprocess.Popen[bytes]:
    encoded = json.dumps({name: data.hex() for name, data in files.items()})
    go = mark.with_name(mark.name + ".go")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), encoded, pause_at, kill_at, str(mark), str(go)],
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    CHILDREN.append(child)
    return child


CHILDREN: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_writer_left() -> Iterator[None]:
    yield
    while CHILDREN:
        child = CHILDREN.pop()
        if child.poll() is None:  # a failed test: end the writers it started, by their own id
            child.kill()
            child.wait()


def wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


def test_second_writer_waits_for_the_first_inside_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_set(out, output_set("old"))
    first = writer(out, output_set("first"), tmp_path / "a", pause_at="replaced result.json")
    wait_for(tmp_path / "a.replaced_result.json")  # paused with one file of four renamed
    second = writer(out, output_set("second"), tmp_path / "b")
    time.sleep(1.5)
    # The second has written nothing and is not inside the lock: it waits for the first.
    assert not (tmp_path / "b.locked").exists()
    assert second.poll() is None
    assert json.loads((out / "result.json").read_bytes())["writer"] == "first"
    assert (
        json.loads((out / "run.json").read_bytes())["result_sha256"]
        != hashlib.sha256((out / "result.json").read_bytes()).hexdigest()
    )  # the first is truly mid-set: this is the mix the lock keeps from the second
    (tmp_path / "a.go").touch()
    assert first.wait(30) == 0 and second.wait(30) == 0
    assert (tmp_path / "b.locked").stat().st_mtime_ns >= (tmp_path / "a.done").stat().st_mtime_ns
    assert whole_set_of(out) == "second"  # the last writer's set, whole
    assert not [p for p in out.iterdir() if STAGING.match(p.name)]


# The points at which a writer of four files can be killed: before its first rename, after each.
KILL_POINTS = ["staged", *(f"replaced {name}" for name in NAMES)]


@pytest.mark.parametrize("renamed", range(len(KILL_POINTS)))
@pytest.mark.parametrize("recovery", ["write_set", "recover_set", "verify"])
def test_writer_killed_after_each_rename_is_rolled_back(
    tmp_path: Path, renamed: int, recovery: str
) -> None:
    out = tmp_path / "out"
    write_set(out, output_set("old"))
    old = {name: (out / name).read_bytes() for name in NAMES}
    killed = writer(out, output_set("new"), tmp_path / "k", kill_at=KILL_POINTS[renamed])
    assert killed.wait(30) == -9  # SIGKILL
    now = [json.loads((out / "result.json").read_bytes())["writer"]]
    assert now == ["new" if renamed else "old"]  # the kill came where it was meant to
    assert [p for p in out.iterdir() if STAGING.match(p.name)]  # a dead writer's staging folder
    if recovery == "write_set":
        said: list[str] = []
        write_set(out, {"other.txt": b"x"}, notice=said.append)
    elif recovery == "recover_set":
        said = recover_set(out)
    else:
        verified = subprocess.run(
            [str(SVENGINE), "verify", str(out)], capture_output=True, text=True, timeout=120
        )
        said = [line for line in verified.stderr.splitlines() if "put back" in line]
    if renamed == len(NAMES):  # every rename done: the new set is whole and is kept
        assert whole_set_of(out) == "new"
        assert said == []
    else:
        assert {name: (out / name).read_bytes() for name in NAMES} == old
        assert whole_set_of(out) == "old"
        if renamed > 0:  # a mix was put back, and that was said
            assert len(said) == 1 and "the previous set was put back whole" in said[0]
            assert str(out) in said[0]
        else:
            assert said == []  # nothing had been renamed: nothing to put back
    assert not [p for p in out.iterdir() if STAGING.match(p.name)]


def test_a_file_new_in_the_killed_set_is_removed(tmp_path: Path) -> None:
    """The old set had no bundle: rolling back removes the new one instead of keeping it."""
    out2 = tmp_path / "out2"
    write_set(out2, output_set("old", NAMES[:3]))
    files = output_set("new")
    reordered = {name: files[name] for name in ("evaluation.zip", *NAMES[:3])}
    killed = writer(out2, reordered, tmp_path / "k2", kill_at="replaced result.json")  # 2 of 4
    assert killed.wait(30) == -9
    assert len(recover_set(out2)) == 1
    assert sorted(p.name for p in out2.iterdir()) == sorted(NAMES[:3])
    assert json.loads((out2 / "result.json").read_bytes())["writer"] == "old"


def test_evaluate_puts_back_the_set_of_a_killed_writer_and_says_so(tmp_path: Path) -> None:
    repo = SRC.parent
    folder, out = tmp_path / "housing", tmp_path / "out"
    shutil.copytree(repo / "examples" / "housing-repairs", folder)
    tender = folder / "tender.yaml"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace("../../toms/illustrative.yaml", "illustrative"),
        encoding="utf-8",
    )
    evaluate = [str(SVENGINE), "evaluate", str(folder), "--out", str(out), "--bundle", "--force"]
    assert subprocess.run(evaluate, capture_output=True, timeout=300).returncode == 0
    old = {name: (out / name).read_bytes() for name in NAMES}
    killed = writer(out, output_set("new"), tmp_path / "k", kill_at="replaced run.json")
    assert killed.wait(30) == -9
    assert (out / "result.json").read_bytes() != old["result.json"]  # a mix, as left
    again = subprocess.run(evaluate, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "the previous set was put back whole" in again.stderr
    assert f"svengine: {out}: a writer was stopped" in again.stderr
    verified = subprocess.run(
        [str(SVENGINE), "verify", str(out)], capture_output=True, text=True, timeout=300
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert not [p for p in out.iterdir() if STAGING.match(p.name)]
