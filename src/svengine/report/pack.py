"""The evaluation pack: one self-contained HTML document for the committee, from a recorded evaluation.

Built from what `evaluate --out DIR` wrote (result.json and run.json) and nothing else: summary and
ranking, each bid's score by block, price against quality, social value by theme and additionality
against the target, a per-criterion heat map, the panel's spread, exclusions and flags in words,
the award decision with a sign-off block, the method as an appendix and the audit digests.

Each section is a small function from `PackInput` to an HTML fragment ("" leaves it out), listed
once in `SECTIONS`: a new section is one function and one line there. Charts are pygal SVG written
inline (report/charts.py); the page has no script and names no file, font or image to fetch. Every
number a person reads is written by `display.py`; every piece of text from a tender, a bid or an
evaluator is escaped. The same DIR gives the same bytes (nothing here reads a clock).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from svengine.display import amount as money_for_people
from svengine.display import figure, grouped, percent, quantity, readable
from svengine.io.display import shown
from svengine.model.result import BidResult, CriterionResult, Result
from svengine.report import charts
from svengine.report import words as plain

TARGET_ADDITIONALITY_PCT = Decimal(20)
"""The line social value is read against: the LGA National Procurement Strategy's "at least +20%
social value additionality on contract value" (docs/pack.md)."""

SIGN_OFF_ROLES = (
    "Evaluation lead",
    "Procurement lead",
    "Budget holder",
    "Chair of the committee",
)

CSS = """
@page{size:A4;margin:14mm 12mm}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;
font-size:10.5pt;line-height:1.4;color:#222;max-width:186mm;margin:0 auto;padding:0 2mm}
h1{font-size:19pt;margin:0 0 2mm}h2{font-size:14pt;margin:7mm 0 2mm;border-bottom:1px solid #1f5f8b;
color:#1f5f8b;break-after:avoid}h3{font-size:11.5pt;margin:4mm 0 1mm;break-after:avoid}
p{margin:1.5mm 0}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:1.5mm 0 3mm;font-size:9.5pt}
th,td{border:1px solid #bbb;padding:1mm 1.5mm;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
th{background:#eef2f7}td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}
tr{break-inside:avoid}thead{display:table-header-group}
figure{margin:2mm 0 4mm;break-inside:avoid}figcaption{font-size:9pt;color:#555}
svg.pygal-chart{width:100%;height:auto;display:block}
.muted{color:#555}.flag{color:#8a4b00}.out{color:#8a1c1c}
.heat td{text-align:center}
.digest{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:8pt;
overflow-wrap:anywhere}
.sign td{height:12mm}
.appendix{break-before:page}
ul{margin:1mm 0 3mm;padding-left:6mm}
""".strip()


@dataclass(frozen=True)
class PackInput:
    """What the pack is made from: the recorded result, run.json, and the digest of result.json's bytes."""

    result: Result
    run: Mapping[str, object] | None
    result_file_sha256: str
    premium: tuple[str, ...] | None = None
    """What the weighting pays for social value, in words (analysis/premium.py, worked out by the
    caller from the tender evaluated); None leaves that section saying why."""


Section = Callable[[PackInput], str]


# ---- text and numbers ---------------------------------------------------------------------------


def e(text: object) -> str:
    """Text for HTML: escaped, on one line, control and bidirectional characters shown."""
    value = str(text).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return html.escape(shown(value))


def score(value: Decimal | None) -> str:
    """A published score with the places it was published to (`48.00`)."""
    if value is None:
        return "-"
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return grouped(value, places)


def exact(text: str | Decimal | Fraction | None) -> str:
    """An exact figure of result.json (`11/3`, `2.4`) for people: at most 2 places (`3.67`)."""
    if text is None:
        return "-"
    return quantity(Fraction(text) if isinstance(text, str) else text)


def pct(value: Decimal | Fraction | str) -> str:
    """A percentage for people, to 2 places (`35.71%`)."""
    return percent(Fraction(value) if isinstance(value, str) else value)


def amount(result: Result, value: Decimal | Fraction | None) -> str:
    """Money for people: `£4,612,000.00` (display.amount)."""
    if value is None:
        return "-"
    return e(money_for_people(value, result.tender.currency))


def scale(result: Result) -> str:
    """The tender's declared total of points (`total_points`, 100 by default): the weights' sum."""
    if result.method is None:
        return "100"
    w = result.method.weights
    return figure(w.quality + w.price + w.social_value)


def bid_label(bid: BidResult, result: Result) -> str:
    return f"{bid.bidder_id} ({bid.lot})" if result.lots else bid.bidder_id


def ordered(result: Result) -> list[BidResult]:
    """Ranked bids by lot and rank, then the excluded ones by bidder id."""
    ranked = sorted(
        (b for b in result.bids if b.rank is not None), key=lambda b: (b.lot or "", b.rank or 0)
    )
    excluded = sorted(
        (b for b in result.bids if b.rank is None), key=lambda b: (b.lot or "", b.bidder_id)
    )
    return ranked + excluded


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[int] = (),
    widths: Sequence[str] = (),
    css: str = "",
) -> str:
    """An HTML table; `headers` and `rows` are HTML already (escape with e())."""
    cols = "".join(f'<col style="width:{w}">' for w in widths)
    head = "".join(
        f'<th class="r">{h}</th>' if i in right else f"<th>{h}</th>" for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="r">{c}</td>' if i in right else f"<td>{c}</td>" for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    attribute = f' class="{css}"' if css else ""
    colgroup = f"<colgroup>{cols}</colgroup>" if cols else ""
    return (
        f"<table{attribute}>{colgroup}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def figure_block(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"


OUTCOMES = {"appointed": "Appointed", "not_appointed": "Not appointed", "excluded": "Excluded"}
CODES = {
    **plain.METHODS,
    **plain.CUTOFF_TIES,
    **plain.ALLOCATION,
    "weighted": "weighted scoring: the highest total score wins",
    "price_per_quality_point": "the lowest price per point of quality and social value wins",
    "lowest_price_passing_quality": "the lowest price among tenders that pass every threshold",
    "fixed_price": "a published price: the highest quality and social value score wins",
}
"""Method codes in plain words: report/words.py's tables (the award report and summaries say the same)."""


def words(code: str | None) -> str:
    """A method code in words (underscores spaced out when it has none)."""
    return plain.word(CODES, code, missing="not stated")


# ---- sections -----------------------------------------------------------------------------------


def summary(pack: PackInput) -> str:
    result = pack.result
    run = pack.run or {}
    evaluated = str(run.get("finished_at", "not recorded"))
    s = result.summary
    rows = [
        ["Tender", f"{e(result.tender.id)}: {e(result.tender.title)}"],
        ["Contract value", amount(result, result.tender.contract_value)],
        ["Date of evaluation", e(evaluated[:10] if evaluated[:4].isdigit() else evaluated)],
        [
            "Bids",
            f"{figure(s.bids)} received, {figure(s.ranked)} ranked, {figure(s.excluded)} excluded",
        ],
        [
            "Supplier size",
            f"{figure(s.sme)} SME, {figure(s.micro)} micro, {figure(s.vcse)} VCSE, "
            f"{figure(s.size_unknown)} not known",
        ],
    ]
    if result.method is not None:
        w = result.method.weights
        rows.append(
            [
                "Weights",
                f"quality {figure(w.quality)}, price {figure(w.price)}, "
                f"social value {figure(w.social_value)} (of {scale(result)})",
            ]
        )
    winners = [
        f"{e(a.bidder_id)} {e(result.bid(a.bidder_id, a.lot).bidder_name)}"
        + (f" (lot {e(a.lot)})" if a.lot else "")
        for a in result.awards
    ]
    rows.append(["Recommended for award", "; ".join(winners) if winners else "no supplier"])
    return (
        f"<h1>Evaluation pack: {e(result.tender.title)}</h1>"
        f'<p class="muted">For the committee. Every figure is from the recorded evaluation '
        f"(result.json, sealed; see Appendix B).</p>"
        "<h2>Summary</h2>" + table(["", ""], rows, widths=("28%", "72%"))
    )


def ranking(pack: PackInput) -> str:
    result = pack.result
    lots = bool(result.lots)
    headers = [
        *(["Lot"] if lots else []),
        "Rank",
        "Bidder",
        "Quality",
        "Price",
        "Social value",
        "Total",
        "Evaluated price",
        "Outcome",
    ]
    rows = []
    for bid in ordered(result):
        outcome = OUTCOMES[bid.award.outcome] if bid.award else bid.status
        rows.append(
            [
                *([e(bid.lot or "-")] if lots else []),
                figure(bid.rank) if bid.rank is not None else "-",
                f"{e(bid.bidder_id)} {e(bid.bidder_name)}",
                score(bid.quality.score),
                score(bid.price.score),
                score(bid.social_value.score),
                f"<b>{score(bid.total_score)}</b>",
                amount(result, bid.price.evaluated),
                e(outcome),
            ]
        )
    shift = 1 if lots else 0
    right = [i + shift for i in (0, 2, 3, 4, 5, 6)]
    widths = [*(["7%"] if lots else []), "6%", "27%", "9%", "8%", "9%", "8%", "14%", "12%"]
    return "<h2>Ranking</h2>" + table(headers, rows, right=right, widths=widths)


def blocks_chart(pack: PackInput) -> str:
    result = pack.result
    bids = [b for b in ordered(result) if b.total_score is not None]
    if not bids:
        return ""

    def values(pick: Callable[[BidResult], Decimal | None]) -> list[float]:
        return [float(pick(b) or 0) for b in bids]

    svg = charts.stacked_blocks(
        "blocks",
        f"Score by block (of {scale(result)})",
        [bid_label(b, result) for b in bids],
        [
            ("Quality", values(lambda b: b.quality.score)),
            ("Price", values(lambda b: b.price.score)),
            ("Social value", values(lambda b: b.social_value.score)),
        ],
    )
    return "<h2>Score by block</h2>" + figure_block(
        svg,
        "Each ranked bid's total, split into its published block scores. Excluded bids score no block.",
    )


def price_against_quality(pack: PackInput) -> str:
    result = pack.result
    bids = [b for b in ordered(result) if b.quality.score is not None]
    if not bids:
        return ""
    svg = charts.price_quality(
        "price-quality",
        "Price against quality",
        [
            (bid_label(b, result), float(b.price.evaluated), float(b.quality.score or 0))
            for b in bids
        ],
        "Quality score",
    )
    return "<h2>Price against quality</h2>" + figure_block(
        svg,
        "Each ranked bid: evaluated price across, published quality score up. Towards the top left is"
        " more quality for less money.",
    )


def social_value(pack: PackInput) -> str:
    result = pack.result
    bids = ordered(result)
    themes = sorted({c.theme for b in bids for c in b.social_value.commitments if c.counted})
    if not themes:
        return "<h2>Social value</h2><p>No bid offered social value commitments that count.</p>"
    labels = [bid_label(b, result) for b in bids]
    by_theme = [
        (
            theme,
            [
                float(
                    sum(
                        (
                            c.value
                            for c in b.social_value.commitments
                            if c.counted and c.theme == theme
                        ),
                        Decimal(0),
                    )
                )
                for b in bids
            ],
        )
        for theme in themes
    ]
    themes_svg = charts.grouped_bars(
        "themes",
        "Social value offered by theme",
        labels,
        by_theme,
        charts.money_label,
        stacked=True,
    )
    additionality_svg = charts.grouped_bars(
        "additionality",
        "Additionality: social value as % of the contract value",
        labels,
        [
            ("Offered", [float(b.social_value.additionality_pct) for b in bids]),
            ("Target", [float(TARGET_ADDITIONALITY_PCT)] * len(bids)),
        ],
        charts.percent_label,
    )
    rows = []
    for bid in bids:
        offered = bid.social_value.additionality_pct
        met = "meets the target" if offered >= TARGET_ADDITIONALITY_PCT else "below the target"
        rows.append(
            [
                e(bid_label(bid, result)),
                amount(result, bid.social_value.total),
                pct(offered),
                e(met),
            ]
        )
    return (
        "<h2>Social value</h2>"
        + figure_block(
            themes_svg,
            "Social value counted (£, after the panel's moderation), by theme of the measure library.",
        )
        + figure_block(
            additionality_svg,
            f"Additionality against the target of {pct(TARGET_ADDITIONALITY_PCT)} of contract value"
            " (the LGA National Procurement Strategy's figure).",
        )
        + table(
            ["Bid", "Social value", "Additionality", "Against the target"],
            rows,
            right=[1, 2],
            widths=("30%", "25%", "20%", "25%"),
        )
    )


def _criteria(bid: BidResult) -> list[CriterionResult]:
    return [*bid.quality.criteria, *bid.social_value.criteria]


def _heat(value: Fraction) -> str:
    """A colour from pale red (0) through pale yellow to green (the maximum), exact to the byte."""
    value = min(max(value, Fraction(0)), Fraction(1))
    low, mid, high = (0xF4, 0xC7, 0xC3), (0xFF, 0xF2, 0xCC), (0xB7, 0xE1, 0xCD)
    a, b, t = (low, mid, value * 2) if value <= Fraction(1, 2) else (mid, high, value * 2 - 1)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def heat_map(pack: PackInput) -> str:
    result = pack.result
    bids = ordered(result)
    if not bids:
        return ""
    criteria = _criteria(bids[0])
    if not criteria:
        return ""
    headers = ["Bid"] + [
        f"{e(c.id)}<br><span class='muted'>of {figure(c.max_score)}</span>" for c in criteria
    ]
    rows = []
    for bid in bids:
        cells = [e(bid_label(bid, result))]
        by_id = {c.id: c for c in _criteria(bid)}
        for criterion in criteria:
            found = by_id.get(criterion.id)
            if found is None:
                cells.append("-")
                continue
            share = Fraction(found.score) / Fraction(found.max_score)
            below = found.min_score is not None and found.score < found.min_score
            mark = " ✗" if below else ""
            cells.append(
                f'<span style="display:block;background:{_heat(share)}">{exact(found.score)}{mark}</span>'
            )
        rows.append(cells)
    key = "; ".join(f"{e(c.id)} {e(c.title)} (weight {figure(c.weight)})" for c in criteria)
    first = "16%"
    other = f"{Decimal(84) / len(criteria):.2f}%"
    return (
        "<h2>Scores by criterion</h2>"
        + table(headers, rows, widths=(first, *[other] * len(criteria)), css="heat")
        + f'<p class="muted">Score given on each criterion, shaded from red (0) to green (the maximum);'
        f" ✗ marks a score below the criterion's minimum. {key}.</p>"
    )


def panel_spread(pack: PackInput) -> str:
    result = pack.result
    panel = result.panel
    if panel is None:
        return ""
    rows = []
    for bid in ordered(result):
        for criterion in _criteria(bid):
            trail = criterion.panel
            if trail is None:
                continue
            individual = ", ".join(f"{e(i.evaluator)} {figure(i.score)}" for i in trail.individual)
            flag = '<span class="flag">yes</span>' if trail.disagreement else "no"
            rows.append(
                [
                    e(bid_label(bid, result)),
                    e(criterion.id),
                    individual,
                    exact(trail.mean),
                    exact(criterion.score),
                    figure(trail.spread),
                    pct(trail.spread_pct),
                    flag,
                ]
            )
    evaluators = [
        [
            e(ev.id),
            e(", ".join(ev.criteria)),
            figure(ev.scores),
            "-" if ev.mean_deviation_pct is None else pct(ev.mean_deviation_pct),
            {True: "yes", False: "no", None: "not stated"}[ev.conflict_declared],
        ]
        for ev in panel.evaluators
    ]
    flags = "".join(f"<li>{e(readable(f.message))}</li>" for f in panel.flags)
    return (
        "<h2>Panel spread</h2>"
        f"<p>Aggregation: {e(panel.aggregate)}. A bid × criterion is flagged when the evaluators' spread"
        f" exceeds {pct(panel.spread_tolerance_pct)} of the scale;"
        f" {figure(panel.disagreements)} flagged.</p>"
        + table(
            ["Bid", "Criterion", "Evaluators", "Mean", "Used", "Spread", "% of scale", "Flagged"],
            rows,
            right=[3, 4, 5, 6],
            widths=("12%", "10%", "26%", "12%", "9%", "9%", "11%", "11%"),
        )
        + "<h3>Evaluators</h3>"
        + table(
            ["Evaluator", "Criteria", "Scores given", "Mean deviation", "Conflict declared"],
            evaluators,
            right=[2, 3],
            widths=("16%", "30%", "16%", "18%", "20%"),
        )
        + (f"<ul>{flags}</ul>" if flags else "")
    )


def exclusions_and_flags(pack: PackInput) -> str:
    result = pack.result
    items = []
    for bid in ordered(result):
        label = f"{e(bid_label(bid, result))} {e(bid.bidder_name)}"
        for found in bid.exclusions:
            items.append(
                f'<li><span class="out">Excluded</span>: {label}: {e(readable(found.message))}</li>'
            )
        for gate in bid.gates:
            if gate.verdict == "fail":
                note = f": {e(gate.comment)}" if gate.comment else ""
                items.append(
                    f'<li><span class="out">Failed gate</span> {e(gate.title)}: {label}{note}</li>'
                )
        for found in bid.flags:
            items.append(
                f'<li><span class="flag">To note</span>: {label}: {e(readable(found.message))}</li>'
            )
    for warning in result.warnings:
        items.append(f'<li><span class="flag">Method</span>: {e(readable(warning.message))}</li>')
    body = f"<ul>{''.join(items)}</ul>" if items else "<p>No exclusion and no flag.</p>"
    return (
        "<h2>Exclusions and flags</h2>"
        "<p>Flags are reported for the panel to look at; they change no figure. Exclusions remove a"
        " bid from the ranking.</p>" + body
    )


def award_decision(pack: PackInput) -> str:
    result = pack.result
    rows = [
        [
            e(bid_label(bid, result)),
            e(bid.bidder_name),
            e(OUTCOMES[bid.award.outcome] if bid.award else bid.status),
            e(readable(bid.award.message) if bid.award else "-"),
        ]
        for bid in ordered(result)
    ]
    decisions = []
    if result.decisions is not None:
        for d in result.decisions.disregarded:
            decisions.append(
                f"<li>{e(d.bidder)} disregarded ({e(d.ground)}), decided by {e(d.decided_by)}"
                f" on {e(d.date.isoformat())}{': ' + e(d.note) if d.note else ''}</li>"
            )
        for a in result.decisions.abnormally_low:
            decisions.append(
                f"<li>{e(a.bidder)}: abnormally low tender {e(a.decision)}: {e(a.reason)}</li>"
            )
    method = result.method
    rule = ""
    if method is not None:
        places = (
            f"{figure(method.suppliers_per_lot)} supplier(s) per lot"
            if method.suppliers_per_lot is not None
            else f"every bid scoring at least {pct(method.min_total_pct or Decimal(0))}"
        )
        rule = f"<p>Award rule: {e(words(method.award_model))}; {places}; {e(words(method.cutoff_ties))}.</p>"
    sign_rows = [[e(role), "", "", ""] for role in SIGN_OFF_ROLES]
    return (
        "<h2>Award decision</h2>"
        + rule
        + table(["Bid", "Bidder", "Outcome", "Why"], rows, widths=("12%", "30%", "16%", "42%"))
        + (
            f"<h3>The buyer's recorded decisions</h3><ul>{''.join(decisions)}</ul>"
            if decisions
            else ""
        )
        + '<section style="break-inside:avoid"><h3>Sign-off</h3>'
        "<p>We have read this pack and agree the award decision above.</p>"
        + table(
            ["Role", "Name", "Signature", "Date"],
            sign_rows,
            widths=("28%", "28%", "28%", "16%"),
            css="sign",
        )
        + "</section>"
    )


def methodology_appendix(pack: PackInput) -> str:
    result = pack.result
    parts = ['<section class="appendix"><h2>Appendix A: Methodology</h2>']
    method = result.method
    if method is not None:
        w = method.weights
        parts.append(
            table(
                ["", ""],
                [
                    ["Award model", e(words(method.award_model))],
                    [
                        f"Weights (of {scale(result)})",
                        f"quality {figure(w.quality)}, price {figure(w.price)},"
                        f" social value {figure(w.social_value)}",
                    ],
                    ["Quality", e(words(method.quality_method))],
                    ["Price", e(words(method.price_method))],
                    ["Social value", e(words(method.social_value_method))],
                    ["Gates", e(", ".join(g.title for g in method.gates) or "none")],
                    ["Regime", e(method.regime or "not stated")],
                    ["Authority", e(method.authority or "not stated")],
                ],
                widths=("28%", "72%"),
            )
        )
    bids = ordered(result)
    if bids:
        rows = [
            [
                e(c.id),
                e(c.title),
                figure(c.weight),
                figure(c.max_score),
                "-" if c.min_score is None else figure(c.min_score),
            ]
            for c in _criteria(bids[0])
        ]
        parts.append("<h3>Criteria</h3>")
        parts.append(
            table(
                ["Criterion", "Title", "Weight", "Maximum score", "Minimum score"],
                rows,
                right=[2, 3, 4],
                widths=("12%", "46%", "12%", "15%", "15%"),
            )
        )
        parts.append("<h3>How each total was reached</h3>")
        for bid in bids:
            ex = bid.explain
            lines = [ex.quality, ex.evaluated_price, ex.price, ex.social_value, ex.total]
            parts.append(
                f"<p><b>{e(bid_label(bid, result))} {e(bid.bidder_name)}</b></p><ul>"
                + "".join(f"<li>{e(line)}</li>" for line in lines)
                + "</ul>"
            )
    parts.append("</section>")
    return "".join(parts)


def audit_appendix(pack: PackInput) -> str:
    result = pack.result
    run = pack.run or {}
    audit = result.audit
    rows = [
        [
            "result.json (file SHA-256, as read)",
            f'<span class="digest">{e(pack.result_file_sha256)}</span>',
        ]
    ]
    recorded = run.get("result")
    if isinstance(recorded, Mapping):
        file_sha = str(recorded.get("file_sha256", ""))
        same = "the same as" if file_sha == pack.result_file_sha256 else "DIFFERENT from"
        rows.append(
            [
                "result.json (file SHA-256, recorded in run.json)",
                f'<span class="digest">{e(file_sha)}</span> ({same} the file read)',
            ]
        )
    if audit is not None:
        rows += [
            ["Engine", e(f"{audit.engine.name} {audit.engine.version}")],
            ["Method SHA-256", f'<span class="digest">{e(audit.method_sha256)}</span>'],
            ["Result SHA-256", f'<span class="digest">{e(audit.result_sha256)}</span>'],
        ]
    for key, name in (("started_at", "Started"), ("finished_at", "Finished"), ("python", "Python")):
        if key in run:
            rows.append([name, e(run[key])])
    inputs = [
        [e(path), f'<span class="digest">{e(digest)}</span>']
        for path, digest in sorted((audit.inputs or {}).items() if audit else [])
    ]
    return (
        '<section class="appendix"><h2>Appendix B: Audit digests</h2>'
        "<p>`svengine verify DIR` re-runs the evaluation from its inputs and says what differs; the"
        " digests below identify exactly what was evaluated.</p>"
        + table(["", ""], rows, widths=("34%", "66%"))
        + (
            "<h3>Inputs read</h3>" + table(["File", "SHA-256"], inputs, widths=("34%", "66%"))
            if inputs
            else ""
        )
        + "</section>"
    )


def social_value_premium(pack: PackInput) -> str:
    """What the weighting pays for social value (analysis/premium.py): information only."""
    head = "<h2>What the weighting pays for social value</h2>"
    if pack.premium is None:
        return (
            head + "<p class='muted'>Not worked out: the tender file recorded in run.json is not"
            " there unchanged, and the price formula is needed.</p>"
        )
    items = "".join(f"<li>{e(line.strip())}</li>" for line in pack.premium)
    return (
        head + "<p>Information only: the price rise each bid's social value points are worth, every"
        " other score held, by the tender's own price formula (exact to the penny).</p>"
        + f"<ul>{items}</ul>"
    )


SECTIONS: tuple[Section, ...] = (
    summary,
    ranking,
    blocks_chart,
    price_against_quality,
    social_value,
    heat_map,
    panel_spread,
    exclusions_and_flags,
    social_value_premium,
    award_decision,
    methodology_appendix,
    audit_appendix,
)
"""The pack's sections in order: add a section here (a function PackInput -> HTML)."""


def pack_html(pack: PackInput, sections: Sequence[Section] = SECTIONS) -> str:
    """The whole pack as one HTML document (text; write it as UTF-8)."""
    title = f"Evaluation pack: {pack.result.tender.id} {pack.result.tender.title}"
    body = "\n".join(part for part in (section(pack) for section in sections) if part)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
