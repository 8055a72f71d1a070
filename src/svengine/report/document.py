"""A small document model rendered to Markdown and to self-contained, escaped HTML.

The one document model of svengine: the published methodology, the assessment summaries and the
award report are each built once as blocks and written in both forms, so the two cannot say
different things. HTML has no external resource (inline style only) and every piece of text is
escaped; Markdown text has `<`, `>`, `&` and line breaks neutralised, table cells also `|` and backslashes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from svengine.io.display import shown, shown_lines

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "table{border-collapse:collapse;margin:0.5rem 0 1rem}th,td{border:1px solid "
    "#bbb;padding:0.25rem 0.5rem;text-align:left;vertical-align:top}"
    "th{background:#eef2f7}td.r{text-align:right}pre{background:#f4f4f4;padding:0.5rem}"
    # Tables stay within the text: cells wrap (long words too), figures never break inside.
    "table{max-width:100%;font-size:0.9rem}td{overflow-wrap:anywhere}td.r{white-space:nowrap}"
    # On A4 (180 mm between the margins) a nine-column table of amounts fits at a smaller size.
    "@page{size:A4;margin:15mm}@media print{body{max-width:none;margin:0;padding:0}"
    "table{font-size:0.8rem}th,td{padding:0.2rem 0.35rem}}"
    "figure{margin:0.5rem 0 1rem;break-inside:avoid}figure svg{width:100%;height:auto;display:block}"
    "figcaption{font-size:0.85rem;color:#555}"
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


@dataclass(frozen=True)
class Figure:
    """A chart: inline SVG made by report/charts.py (never text from an input), with its caption.

    HTML shows the drawing; Markdown, which cannot, shows the caption (the figures are in a table
    beside it)."""

    svg: str
    caption: str


Block = Heading | Para | Items | Formula | Table | Figure


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

    def figure(self, svg: str, caption: str) -> None:
        self.blocks.append(Figure(svg, caption))

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
                # The fence is longer than any run of backticks in the text, which cannot close it.
                fence = "`" * max([3, *(len(run) + 1 for run in re.findall("`+", block.text))])
                out += [fence, shown_lines(block.text), fence, ""]
            elif isinstance(block, Figure):
                out += [f"*Chart: {_md(block.caption)}*", ""]
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
        e = _h
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
                out.append(f"<pre>{html.escape(shown_lines(block.text))}</pre>")
            elif isinstance(block, Figure):
                out.append(
                    f"<figure>{block.svg}<figcaption>{e(block.caption)}</figcaption></figure>"
                )
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


_MD_PUNCTUATION = re.compile(r"([\\`*\[\]~|]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
"""Markdown's inline markup: links and images (`[`, `]`), emphasis, code, strikethrough, table cells.
Each is written with a backslash, which CommonMark and GitHub show as the character itself; `_`
inside a word (`method_sha256`) is never emphasis and is left as it is."""
_MD_BLOCK_START = re.compile(r"^([#>+=-]|\d+[.)])")
"""What turns a line into a heading, quote, list or underline when it starts a block."""


def _one_line(text: str) -> str:
    # A line break would end the block (or forge a new one); other controls and bidirectional
    # overrides are shown escaped (io/display.py).
    return shown(text.replace("\r\n", " ").replace("\r", " ").replace("\n", " "))


def _md_inline(text: str) -> str:
    # Text from tenders, bidders and evaluators must not become Markdown markup or raw HTML:
    # `[x](javascript:...)` and `![t](http://.../beacon.png)` are written as plain text.
    return _one_line(_MD_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False)))


def _md(text: str) -> str:
    # ... and at the start of a block, nothing may make it a heading, a quote or a list.
    return _MD_BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], _md_inline(text))


def _md_cell(text: str) -> str:
    # A table cell is never the start of a block; `|` and `\\` are escaped by _md_inline, so a
    # backslash before `|` cannot escape the escape and split the cell.
    return _md_inline(text)


def _h(text: str) -> str:
    return html.escape(_one_line(text))
