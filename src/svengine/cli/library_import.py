"""`svengine library import FILE.xlsx|FILE.csv --out lib.yaml`: a library from a buyer's own sheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svengine.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    NOTHING_WRITTEN,
    positive_int,
    print_problems,
)
from svengine.excel.safety import Limits
from svengine.io.documents import read_document
from svengine.io.output import refuse_existing, write_atomic
from svengine.problems import OutputExists


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import", help="make a library YAML from a TOMs-style sheet (xlsx or CSV)"
    )
    parser.add_argument("file", type=Path, help="the buyer's measure sheet, .xlsx or .csv")
    parser.add_argument("--out", type=Path, required=True, help="the library YAML to write")
    parser.add_argument(
        "--map",
        help='which column holds each field: id=Ref,title="Measure",proxy_value="Proxy (£)"',
    )
    parser.add_argument(
        "--mapping",
        type=Path,
        help="a YAML mapping file: sheet, header_row, columns, library (see docs/excel.md)",
    )
    parser.add_argument("--sheet", help="the sheet to read (default: the first)")
    parser.add_argument(
        "--header-row", type=int, help="the row holding the column titles (default 1)"
    )
    for name in ("id", "version", "currency", "licence", "description"):
        parser.add_argument(f"--{name}", dest=f"library_{name}", help=f"the library's {name}")
    parser.add_argument(
        "--max-rows",
        type=positive_int,
        default=Limits().max_rows,
        help="most data rows read from the sheet (a whole number above 0)",
    )
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists")
    parser.set_defaults(run=run, problems_outcome=NOTHING_WRITTEN)


def run(args: argparse.Namespace) -> int:
    # Excel libraries load only when this command runs, so `svengine evaluate` starts fast.
    from svengine.excel.library_import import (
        ColumnMapping,
        import_library,
        library_yaml,
        mapping_from_document,
        parse_map,
    )

    try:
        mapping = ColumnMapping()
        if args.mapping:
            document, problems = read_document(args.mapping)
            if problems:
                print_problems(problems, NOTHING_WRITTEN)
                return EXIT_PROBLEMS
            mapping = mapping_from_document(document)
        columns = {**mapping.columns, **(parse_map(args.map) if args.map else {})}
    except ValueError as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_USAGE
    details = dict(mapping.library)
    for name in ("id", "version", "currency", "licence", "description"):
        if getattr(args, f"library_{name}"):
            details[name] = getattr(args, f"library_{name}")
    mapping = ColumnMapping(
        columns, args.sheet or mapping.sheet, args.header_row or mapping.header_row, details
    )
    try:
        refuse_existing([args.out], args.force)
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    document, library, problems = import_library(
        args.file, mapping, limits=Limits(max_rows=args.max_rows)
    )
    if problems or document is None or library is None:
        print_problems(problems, NOTHING_WRITTEN)
        return EXIT_PROBLEMS
    try:
        write_atomic(args.out, library_yaml(document), force=args.force)
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {args.out}: {len(library.measures)} measures")
    return EXIT_OK
