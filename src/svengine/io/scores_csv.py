"""Reading panel scores from CSV: `bidder,criterion,score[,comment][,evaluator]`.

Without an evaluator column, one agreed row per bid and criterion; with one, each evaluator's row
and the moderated `consensus` rows (see docs/panel.md).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from svengine.io.documents import read_text
from svengine.model.scores import Score, gate_score
from svengine.numbers import grammar_error, to_decimal
from svengine.problems import Location, Problem

REQUIRED_COLUMNS = ("bidder", "criterion", "score")
OPTIONAL_COLUMNS = ("comment", "evaluator", "lot")
VERDICTS = ("pass", "fail")
"""The score of a pass/fail criterion (docs/award.md); the tender decides which criteria take them."""


def read_scores_csv(path: Path, file: str | None = None) -> tuple[list[Score], list[Problem]]:
    """Every score row of a CSV file, and every problem with its line and column."""
    name = file or str(path)
    text, problems = read_text(path, name)
    if text is None:
        return [], problems
    return parse_scores_csv(text, name)


def parse_scores_csv(text: str, file: str | None = None) -> tuple[list[Score], list[Problem]]:
    problems: list[Problem] = []
    scores: list[Score] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            return [], [Problem("empty_file", "the file is empty; the first row must be the header bidder,criterion,score,comment", Location(file=file, line=1))]
        columns = [cell.strip() for cell in header]
        known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        for index, column in enumerate(columns):
            if column not in known:
                problems.append(
                    Problem("unknown_column", f'unknown column "{column}"; the columns are {", ".join(known)}', Location(file=file, line=1, column=column or f"#{index + 1}"))
                )
        for column in REQUIRED_COLUMNS:
            if column not in columns:
                problems.append(Problem("missing_column", f'the column "{column}" is missing from the header', Location(file=file, line=1)))
        for column in set(columns):
            if column and columns.count(column) > 1:
                problems.append(Problem("duplicate_column", f'the column "{column}" appears twice in the header', Location(file=file, line=1)))
        if problems:
            return [], problems
        position = {column: columns.index(column) for column in columns}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                problems.append(Problem("extra_cells", f"the row has {len(row)} cells but the header has {len(columns)}", Location(file=file, line=line)))
                continue
            cells = {column: (row[i].strip() if i < len(row) else "") for column, i in position.items()}
            where = Location(file=file, line=line)
            bad = False
            for column in REQUIRED_COLUMNS:
                if not cells[column]:
                    problems.append(Problem("missing_value", f'the "{column}" cell is empty', Location(file=file, line=line, column=column), bidder=cells["bidder"] or None, criterion=cells["criterion"] or None))
                    bad = True
            if bad:
                continue
            verdict = cells["score"].casefold()
            if verdict in VERDICTS:
                scores.append(
                    gate_score(
                        cells["bidder"],
                        cells["criterion"],
                        "pass" if verdict == "pass" else "fail",
                        comment=cells.get("comment") or None,
                        evaluator=cells.get("evaluator") or None,
                        lot=cells.get("lot") or None,
                        source=where,
                    )
                )
                continue
            message = grammar_error(cells["score"])
            if message is not None:
                problems.append(Problem("bad_number", f"score {message} (or pass/fail for a pass/fail criterion)", Location(file=file, line=line, column="score"), bidder=cells["bidder"], criterion=cells["criterion"]))
                continue
            scores.append(
                Score(
                    bidder=cells["bidder"],
                    criterion=cells["criterion"],
                    score=to_decimal(cells["score"]),
                    comment=cells.get("comment") or None,
                    evaluator=cells.get("evaluator") or None,
                    lot=cells.get("lot") or None,
                    source=where,
                )
            )
    except csv.Error as error:
        problems.append(Problem("malformed_csv", f"this is not valid CSV: {error}", Location(file=file, line=reader.line_num)))
    return scores, problems
