"""What every subcommand shares: exit codes and how problems are printed."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from svengine.io.loaders import sort_problems
from svengine.problems import Problem

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in svengine itself


def print_problems(problems: Sequence[Problem], stream: TextIO | None = None) -> None:
    out = stream or sys.stderr
    count = len(problems)
    print(
        f"{count} problem{'s' if count != 1 else ''} found; nothing was evaluated or written:",
        file=out,
    )
    for problem in sort_problems(problems):
        print(f"  {problem}", file=out)


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None
) -> str:
    """A plain-text table with aligned columns."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    align = right or [False] * len(headers)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            (str(c).rjust(w) if a else str(c).ljust(w)) for c, w, a in zip(cells, widths, align)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])
