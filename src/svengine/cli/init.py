"""`svengine init [FOLDER] --from-ocds RELEASE`: start a tender folder from a published notice's award criteria.

Only `--from-ocds` exists for now (it is required); `svengine init FOLDER` on its own comes later.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from svengine.cli.common import EXIT_OK
from svengine.ocds import tender_yaml_from_release
from svengine.problems import OutputExists


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "init",
        help="start a tender folder (tender.yaml) from an OCDS tender notice's award criteria",
        description=(
            "Writes FOLDER/tender.yaml with the criteria and weights an OCDS release declares,"
            " and comments marking what to complete. --from-ocds is required for now. See docs/ocds.md."
        ),
    )
    parser.add_argument("folder", type=Path, nargs="?", default=Path("."), help="default: here")
    parser.add_argument(
        "--from-ocds",
        type=Path,
        required=True,
        metavar="RELEASE",
        help="an OCDS release, release package or record package (JSON)",
    )
    parser.add_argument("--library", help="the measure library path to write into the tender")
    parser.add_argument("--force", action="store_true", help="replace an existing tender.yaml")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
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
