"""`svengine init FOLDER`: start a tender folder that evaluates as it is.

Without options: a commented tender.yaml (naming the illustrative library shipped with svengine),
an example bid and a scores.csv (package data, src/svengine/data/starter). With `--from-ocds
RELEASE`: tender.yaml from a published notice's award criteria (docs/ocds.md).
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from svengine.cli.common import EXIT_OK, NOTHING_WRITTEN
from svengine.io.output import refuse_existing, write_set
from svengine.ocds import tender_yaml_from_release
from svengine.problems import OutputExists


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "init",
        help="start a tender folder: a commented tender.yaml, an example bid and scores.csv",
        description=(
            "Writes FOLDER/tender.yaml (commented), FOLDER/bids/B1.json and FOLDER/scores.csv,"
            " which evaluate as they are: change them to your tender. With --from-ocds, writes"
            " FOLDER/tender.yaml from an OCDS release's award criteria instead (docs/ocds.md)."
        ),
    )
    parser.add_argument("folder", type=Path, nargs="?", default=Path("."), help="default: here")
    parser.add_argument(
        "--from-ocds",
        type=Path,
        metavar="RELEASE",
        help="an OCDS release, release package or record package (JSON)",
    )
    parser.add_argument("--library", help="the measure library path to write into the tender")
    parser.add_argument("--force", action="store_true", help="replace files that exist already")
    parser.set_defaults(run=run, problems_outcome=NOTHING_WRITTEN)


STARTER = ("tender.yaml", "bids/B1.json", "scores.csv")


def run(args: argparse.Namespace) -> int:
    if args.from_ocds is None:
        return _starter(args.folder, args.force)
    source: Path = args.from_ocds
    text = tender_yaml_from_release(source.read_bytes(), str(source), library=args.library)
    folder: Path = args.folder
    target = folder / "tender.yaml"
    if target.exists() and not args.force:
        raise OutputExists(f"{target} exists already; pass --force to replace it")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}: complete the lines marked TO COMPLETE and TO CHOOSE")
    return EXIT_OK


def _starter(folder: Path, force: bool) -> int:
    """The starter tender; an existing file is refused (before anything is written) unless --force."""
    data = resources.files("svengine") / "data" / "starter"
    refuse_existing([folder / name for name in STARTER], force)
    written = write_set(
        folder,
        {name: data.joinpath(name).read_bytes() for name in STARTER if "/" not in name},
        force=force,
    )
    written += write_set(
        folder / "bids", {"B1.json": data.joinpath("bids/B1.json").read_bytes()}, force=force
    )
    print("wrote " + ", ".join(str(path) for path in written))
    print(f"it evaluates as it is: svengine evaluate {folder}; then make it your tender")
    return EXIT_OK
