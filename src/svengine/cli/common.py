"""What every subcommand shares: exit codes and how problems are printed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from svengine.io.display import shown
from svengine.io.loaders import sort_problems
from svengine.problems import MAX_PROBLEMS, MoreProblems, Problem, problem_count

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in svengine itself


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (`--max-rows -1` or `0` is a usage error)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


MAX_SHOWN_PROBLEMS = MAX_PROBLEMS
"""Problems printed in full; beyond them, how many more there are (a huge bad file can have millions)."""


def print_problems(problems: Sequence[Problem], stream: TextIO | None = None) -> None:
    out = stream or sys.stderr
    count = problem_count(problems)  # a `more_problems` stand-in counts those not kept
    print(
        f"{count:,} problem{'s' if count != 1 else ''} found; nothing was evaluated or written:",
        file=out,
    )
    listed = [p for p in sort_problems(problems) if not isinstance(p, MoreProblems)]
    for problem in listed[:MAX_SHOWN_PROBLEMS]:
        # One problem, one line: a line feed or U+202E in a file or bidder name is shown escaped.
        print(f"  {shown(str(problem))}", file=out)
    more = count - min(len(listed), MAX_SHOWN_PROBLEMS)
    if more:
        print(
            f"  ... and {more:,} more problem{'s' if more != 1 else ''} (the first"
            f" {MAX_SHOWN_PROBLEMS:,} are shown; fix those and run again)",
            file=out,
        )


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None
) -> str:
    """A plain-text table with aligned columns; every cell shown on one line, escaped (io/display.py)."""
    headers = [shown(str(cell)) for cell in headers]
    rows = [[shown(str(cell)) for cell in row] for row in rows]
    # strict=False: rows are not checked against the headers; a short row narrows the table, as before
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)
    ]
    align = right or [False] * len(headers)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            (str(c).rjust(w) if a else str(c).ljust(w))
            # strict=False: `right` and the rows come from the caller, unchecked against the headers
            for c, w, a in zip(cells, widths, align, strict=False)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])
