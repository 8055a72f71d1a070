"""A small document model rendered to Markdown and to self-contained, escaped HTML.

The one document model of svengine: the published methodology, the assessment summaries and the
award report are each built once as blocks and written in both forms, so the two cannot say
different things. HTML has no external resource (inline style only) and every piece of text is
escaped; Markdown text has `<`, `>`, `&` and line breaks neutralised, table cells also `|` and backslashes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "table{border-collapse:collapse;margin:0.5rem 0 1rem}th,td{border:1px solid "
    "#bbb;padding:0.25rem 0.5rem;text-align:left;vertical-align:top}"
    "th{background:#eef2f7}td.r{text-align:right}pre{background:#f4f4f4;padding:0.5rem}"
)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Items:
    lines: list[str]


@dataclass(frozen=True)
class Formula:
    """A formula or other preformatted line, shown as written (a code block in Markdown)."""

    text: str


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    right: list[bool] = field(default_factory=list)
    """Which columns are right-aligned (figures); columns beyond the list are left-aligned."""

    def is_right(self, column: int) -> bool:
        return column < len(self.right) and self.right[column]


Block = Heading | Para | Items | Formula | Table


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(Heading(level, text))

    def para(self, text: str) -> None:
        self.blocks.append(Para(text))

    def items(self, lines: Sequence[str]) -> None:
        if lines:
            self.blocks.append(Items(list(lines)))

    def formula(self, text: str) -> None:
        self.blocks.append(Formula(text))

    def table(
        self, headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[bool] = ()
    ) -> None:
        self.blocks.append(
            Table(list(headers), [[_cell(c) for c in row] for row in rows], list(right))
        )

    def text(self) -> str:
        """Every piece of text in the document (for tests that look for what must not be there)."""
        return self.markdown() + self.html()

    def markdown(self) -> str:
        out = [f"# {_md(self.title)}", ""]
        for block in self.blocks:
            if isinstance(block, Heading):
                out += ["#" * block.level + " " + _md(block.text), ""]
            elif isinstance(block, Para):
                out += [_md(block.text), ""]
            elif isinstance(block, Items):
                out += [f"- {_md(line)}" for line in block.lines] + [""]
            elif isinstance(block, Formula):
                # Shown verbatim: inside a code block Markdown decodes no escapes, so none are added.
                out += ["```", block.text, "```", ""]
            else:
                headers, rows = block.headers, block.rows
                out.append("| " + " | ".join(_md_cell(h) for h in headers) + " |")
                out.append(
                    "|"
                    + "".join("---:|" if block.is_right(i) else "---|" for i in range(len(headers)))
                )
                out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
                out.append("")
        return "\n".join(out).rstrip("\n") + "\n"

    def html(self) -> str:
        e = html.escape
        out = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            '<head><meta charset="utf-8">',
            f"<title>{e(self.title)}</title>",
            f"<style>{STYLE}</style></head>",
            "<body>",
            f"<h1>{e(self.title)}</h1>",
        ]
        for block in self.blocks:
            if isinstance(block, Heading):
                out.append(f"<h{block.level}>{e(block.text)}</h{block.level}>")
            elif isinstance(block, Para):
                out.append(f"<p>{e(block.text)}</p>")
            elif isinstance(block, Items):
                out.append(
                    "<ul>" + "".join(f"<li>{e(line)}</li>" for line in block.lines) + "</ul>"
                )
            elif isinstance(block, Formula):
                out.append(f"<pre>{e(block.text)}</pre>")
            else:
                headers, rows = block.headers, block.rows
                head = "".join(f"<th>{e(h)}</th>" for h in headers)
                body = "".join(
                    "<tr>"
                    + "".join(
                        f'<td class="r">{e(c)}</td>' if block.is_right(i) else f"<td>{e(c)}</td>"
                        for i, c in enumerate(row)
                    )
                    + "</tr>"
                    for row in rows
                )
                out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        out += ["</body>", "</html>"]
        return "\n".join(out) + "\n"


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def _md(text: str) -> str:
    # Text from tenders, bidders and evaluators must not become Markdown markup or raw HTML.
    return html.escape(text, quote=False).replace("\r", " ").replace("\n", " ")


def _md_cell(text: str) -> str:
    # A backslash before `|` would otherwise escape the escape and split the cell.
    return _md(text).replace("\\", "\\\\").replace("|", "\\|")
