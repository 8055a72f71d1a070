"""What every subcommand shares: exit codes and how problems are printed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from svengine.display import quantity
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


NOTHING_EVALUATED = "nothing was evaluated or written"
"""What `evaluate` did not do when its input has problems (its heading since the first version)."""
NOTHING_WRITTEN = "nothing was written"
"""What a command that writes files did not do when its input has problems."""


def problems_outcome(args: argparse.Namespace) -> str | None:
    """What the command `args` ran did not do, for the heading of its problems (None: nothing to say).

    A subcommand declares it with `set_defaults(problems_outcome=...)`; a command that writes only
    with `--out` (panel, stress) declares `written_with_out`, so that printing a table is not said
    to have written nothing.
    """
    outcome = getattr(args, "problems_outcome", None)
    if callable(outcome):
        result: str | None = outcome(args)
        return result
    return outcome if isinstance(outcome, str) else None


def written_with_out(args: argparse.Namespace) -> str | None:
    """The outcome of a command that writes a file only when `--out` is given."""
    return NOTHING_WRITTEN if getattr(args, "out", None) else None


def problems_heading(count: int, outcome: str | None = None) -> str:
    """`3 problems found:`, or with what the command did not do: `1 problem found; nothing was written:`."""
    found = f"{quantity(count)} problem{'s' if count != 1 else ''} found"
    return f"{found}; {outcome}:" if outcome else f"{found}:"


def print_problems(
    problems: Sequence[Problem], outcome: str | None = None, *, stream: TextIO | None = None
) -> None:
    """The problems under a heading that says how many and, where it is true, what was not done.

    `outcome` is the command's own (`problems_outcome(args)`): "nothing was evaluated or written" is
    said only by `evaluate`, which evaluates; `validate` and the readers say only how many.
    """
    out = stream or sys.stderr
    count = problem_count(problems)  # a `more_problems` stand-in counts those not kept
    print(problems_heading(count, outcome), file=out)
    listed = [p for p in sort_problems(problems) if not isinstance(p, MoreProblems)]
    for problem in listed[:MAX_SHOWN_PROBLEMS]:
        # One problem, one line: a line feed or U+202E in a file or bidder name is shown escaped.
        print(f"  {shown(str(problem))}", file=out)
    more = count - min(len(listed), MAX_SHOWN_PROBLEMS)
    if more:
        print(
            f"  ... and {quantity(more)} more problem{'s' if more != 1 else ''} (the first"
            f" {quantity(MAX_SHOWN_PROBLEMS)} are shown; fix those and run again)",
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
