"""`svengine library show FILE`: a measure library as a table; `library import`: one from a sheet."""

from __future__ import annotations

import argparse
from pathlib import Path

from svengine.cli import library_import
from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, print_problems, table
from svengine.display import grouped
from svengine.io.loaders import load_library
from svengine.problems import InvalidInput


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("library", help="work with measure libraries")
    commands = parser.add_subparsers(dest="library_command", required=True, metavar="COMMAND")
    show = commands.add_parser("show", help="list a library's measures as a table")
    show.add_argument("file", type=Path, help="a library in YAML or JSON")
    show.set_defaults(run=run_show)
    library_import.add_parser(commands)


def run_show(args: argparse.Namespace) -> int:
    try:
        library = load_library(args.file)
    except InvalidInput as error:
        print_problems(error.problems)
        return EXIT_PROBLEMS
    print(f"{library.id} {library.version} ({library.currency}) - {library.licence}")
    if library.description:
        print(library.description)
    print()
    rows = []
    for m in library.measures:
        if m.record_only:
            proxy = "record only"
        else:
            assert m.proxy_value is not None
            proxy = grouped(m.proxy_value, min_places=2)
        notes = ", ".join(
            n
            for n, on in (
                ("whole term", m.basis == "total"),
                ("first year only", m.first_year_only),
            )
            if on
        )
        rows.append([m.id, m.theme, m.title, m.unit, proxy, notes])
    print(
        table(
            ["id", "theme", "title", "unit", "proxy", "counting"],
            rows,
            right=[False, False, False, False, True, False],
        )
    )
    print(f"\n{len(library.measures)} measures")
    return EXIT_OK
