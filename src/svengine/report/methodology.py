"""The published methodology: the evaluation method as the text a buyer publishes, from the Tender itself.

The text is built from the same `Tender` object that `svengine.evaluate` computes with, and its
worked example is computed by the engine's own price function, so the published method and the
computed one cannot drift apart. It is one `Document` (svengine.report.document), written as Markdown
or as self-contained HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from svengine.display import figure, grouped, money
from svengine.model.library import DEFLATOR_FIELDS, Deflators, Measure
from svengine.model.tender import Criterion, Tender, marks_text
from svengine.numbers import decimal_text, round_fraction
from svengine.report.document import Block, Document, Formula, Heading, Items, Para, Table
from svengine.scoring import rules
from svengine.scoring.price import price_points
from svengine.scoring.quality import criterion_weight_points
from svengine.scoring.social_value import counts_net, deflators_for
from svengine.scoring.weights import quantitative_weight
from svengine.version import __version__


@dataclass(frozen=True)
class WorkedPrice:
    """One line of the price worked example: an illustrative price and the engine's score for it."""

    label: str
    price: Decimal
    points: Fraction
    published: Decimal
    working: str


_ROUNDING_WORDS = {
    "half_up": "halves rounded up (away from zero)",
    "half_even": "halves rounded to the even neighbour (banker's rounding)",
    "down": "truncated (extra decimals dropped, never rounded up)",
}

_TIE_BREAK_WORDS = {
    "quality": "the higher quality score",
    "price": "the higher price score",
    "social_value": "the higher social value score",
    "lowest_price": "the lower price (the amount tendered)",
}


_CRITERION_WORDS = {
    rules.WEIGHT: "criterion weight (points)",
    rules.SCORE: "score",
    rules.MAX_SCORE: "maximum score",
    rules.MONEY_VALUE: "money value",
    rules.P: "evaluated price",
    rules.DEDUCTIONS: "sum of the deductions",
}
"""The per-criterion rules' figures in words (`rules.CRITERION_POINTS`, `DEDUCTION`, `FICTITIOUS_PRICE`)."""


def _points(value: Decimal | Fraction) -> str:
    return figure(Fraction(value))


def _published(tender: Tender, value: Fraction) -> Decimal:
    return round_fraction(value, tender.rounding.places, tender.rounding.mode)


def illustrative_prices(tender: Tender) -> list[tuple[str, Decimal]]:
    """Prices for the worked example, derived from the tender (whole currency units).

    Relative formulas: 90%, 100% and 115% of the contract value. reference_linear: a price below the
    floor (when positive), two prices between floor and ceiling, and one above the ceiling.
    """

    def whole(value: Fraction) -> Decimal:
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )

    block = tender.price
    if block.method == "reference_linear":
        assert block.ceiling is not None and block.floor is not None
        floor, ceiling = Fraction(block.floor), Fraction(block.ceiling)
        span = ceiling - floor
        shares = [Fraction(-1, 20), Fraction(1, 4), Fraction(3, 4), Fraction(21, 20)]
        prices = [whole(floor + span * share) for share in shares]
        prices = [p for p in prices if p > 0]
    else:
        value = Fraction(tender.contract_value)
        prices = [
            whole(value * share) for share in (Fraction(90, 100), Fraction(1), Fraction(115, 100))
        ]
    return [(f"Bid {chr(ord('A') + index)}", price) for index, price in enumerate(prices)]


def worked_price_example(tender: Tender) -> list[WorkedPrice]:
    """The price formula applied to the illustrative prices by `svengine.scoring.price.price_points`."""
    weight = Fraction(tender.weights.price)
    entries = illustrative_prices(tender)
    reference = [Fraction(price) for _, price in entries]
    lowest, highest = min(reference), max(reference)
    block = tender.price
    rule, how = rules.PRICE[block.method], rules.PRICE_WORDS[block.method]
    env = {"W_price": weight, "P_min": lowest, "P_max": highest}
    shown = {
        rules.W_PRICE: _points(weight),
        rules.P_MIN: money(lowest),
        rules.P_MAX: money(highest),
    }
    if block.ceiling is not None and block.floor is not None:
        env |= {"Price_ceiling": Fraction(block.ceiling), "Price_floor": Fraction(block.floor)}
        shown |= {rules.CEILING: money(block.ceiling), rules.FLOOR: money(block.floor)}
    out = []
    for label, price in entries:
        points = price_points(block, weight, Fraction(price), reference)
        figures = shown | {rules.P: money(price)}
        if weight == 0:
            working = rules.PRICE_UNWEIGHTED
        elif _sides_equal(rule, env | {"P": Fraction(price)}):
            working = rules.equal_words(how, figures)
        else:
            working = rules.formula(rule, figures)
        out.append(WorkedPrice(label, price, points, _published(tender, points), working))
    return out


def _sides_equal(rule: rules.Expr, env: rules.Env) -> bool:
    """The rule's `if_equal` takes its equal branch for these figures (min-max linear, one price)."""
    if rule.op != "if_equal":
        return False
    a, b = rule.args[:2]
    return rules.exact(a)(env) == rules.exact(b)(env)


def _edge_case(rule: rules.Expr, how: rules.Words, shown: dict[rules.Expr, str]) -> list[Block]:
    """The rule's `if_equal` case, in the words the explanations use: `When P_max = P_min: ...`."""
    condition = rules.condition(rule, shown)
    if condition is None or not how.equal:
        return []
    return [Para(f"When {condition}: {rules.equal_words(how, rules.symbols(rule) | shown)}.")]


def _counting(measure: Measure) -> str:
    if measure.record_only:
        return "recorded only, worth 0"
    if measure.basis == "total":
        return "quantity for the whole contract"
    if measure.first_year_only:
        return "first year only"
    return "quantity per year × years"


def _criteria_table(
    tender: Tender, criteria: Sequence[Criterion], block_weight: Fraction, percent: bool
) -> Table:
    headers = ["id", "criterion"]
    if percent:
        headers.append("% of block")
    headers += ["points", "maximum score", "minimum score (below it the bid is excluded)"]
    rows = []
    for criterion in criteria:
        row = [criterion.id, criterion.title]
        if percent:
            row.append(decimal_text(criterion.weight) + "%")
        row += [
            _points(criterion_weight_points(tender, criterion, block_weight)),
            decimal_text(tender.max_score(criterion)),
            decimal_text(criterion.min_score) if criterion.min_score is not None else "none",
        ]
        rows.append(row)
    return Table(headers, rows, [False, False] + [True] * (len(headers) - 2))


def _quality(tender: Tender) -> list[Block]:
    quality = tender.quality
    w = Fraction(tender.weights.quality)
    if quality is None or w == 0:
        return [Heading(2, "Quality"), Para("Quality is not scored in this tender.")]
    percent = quality.weights_basis == "percent_of_block"
    blocks: list[Block] = [
        Heading(2, f"Quality ({_points(w)} points)"),
        Para(
            "The panel scores each criterion on a scale from 0 to its maximum score (default "
            f"{decimal_text(quality.scale_max)})"
            + (
                ", in whole marks only."
                if quality.whole_marks_only
                else "; part marks are allowed."
            )
            + (
                " Criterion weights are published as percentages of the quality block and converted to points."
                if percent
                else ""
            )
        ),
        _criteria_table(tender, quality.criteria, w, percent),
        Para(
            "Each criterion earns points in proportion to its score; the quality points T are their sum:"
        ),
        Formula(
            f"criterion points = {rules.formula(rules.CRITERION_POINTS, _CRITERION_WORDS)};"
            "   T = sum of the criterion points"
        ),
    ]
    blocks += _scales(tender, quality.criteria)
    rule = rules.QUALITY[quality.method]
    if quality.method == "absolute":
        blocks.append(
            Para(
                "The quality score is T itself (absolute scoring: it does not depend on other bids)."
            )
        )
    else:
        blocks += [
            Para(
                "The quality score is relative to the best quality points among the bids still in the competition:"
            ),
            Formula(f"quality score = {rules.formula(rule, {rules.W_QUALITY: _points(w)})}"),
        ]
        if quality.method in rules.QUALITY_WORDS:
            blocks += _edge_case(
                rule, rules.QUALITY_WORDS[quality.method], {rules.W_QUALITY: _points(w)}
            )
    if quality.min_total_pct is not None:
        available = sum(
            (criterion_weight_points(tender, c, w) for c in quality.criteria), Fraction(0)
        )
        required = rules.exact(rules.REQUIRED_QUALITY)(
            {"A": available, "min_total_pct": Fraction(quality.min_total_pct)}
        )
        blocks.append(
            Para(
                f"Quality threshold: a bid with fewer than {decimal_text(quality.min_total_pct)}% "
                f"of the {_points(available)}"
                f" quality points available (that is, T below {_points(required)}) is excluded."
            )
        )
    return blocks


def _scales(tender: Tender, criteria: Sequence[Criterion]) -> list[Block]:
    """The published score scales: the marks allowed and what each means (descriptors)."""
    by_text: dict[str, list[str]] = {}
    for criterion in criteria:
        words = marks_text(tender, criterion)
        if words is not None:
            by_text.setdefault(words, []).append(criterion.id)
    if not by_text:
        return []
    lines = [f"{', '.join(ids)}: {words}" for words, ids in by_text.items()]
    return [
        Para("Score scales (a mark not allowed is refused before anything is scored):"),
        Items(lines),
    ]


def _fictitious_price(tender: Tender) -> list[Block]:
    """Award on value: how quality becomes money and which bid wins."""
    if tender.award_rule.model != "fictitious_price":
        return []
    rows = [
        [c.id, c.title, money(c.money_value or Decimal(0)), decimal_text(tender.max_score(c))]
        for c in tender.quality_criteria
    ]
    return [
        Heading(2, "Award on value (fictitious price)"),
        Para(
            "Quality is converted into money at the rates published here: each quality criterion"
            " deducts from the evaluated price its money value in proportion to the score."
        ),
        Table(
            ["id", "criterion", f"money value for full marks ({tender.currency})", "maximum score"],
            rows,
            [False, False, True, True],
        ),
        Formula(
            f"deduction = {rules.formula(rules.DEDUCTION, _CRITERION_WORDS)};   "
            f"fictitious price = {rules.formula(rules.FICTITIOUS_PRICE, _CRITERION_WORDS)}"
        ),
        Para(
            "The bid with the lowest fictitious price wins; equal fictitious prices go to the"
            " tie-break rules. A fictitious price below zero (deductions larger than the price)"
            " is kept as it is and ranks first. The fictitious price is used only to rank: the"
            " contract is priced, and invoiced, at the bid's own price. The weighted scores below"
            " are shown for information."
        ),
    ]


_PRICE_SUMMARY = {
    "lowest_relative": "The lowest valid price P_min gets full marks; others in proportion to it.",
    "min_max_linear": "The lowest valid price gets full marks and the highest 0.",
    "proportional_deviation": "Marks fall in proportion to how far a price is above the lowest valid price; "
    "0 at twice the lowest or above.",
    "reference_linear": "Absolute scoring against published bounds: it does not depend on other bids.",
}
"""What each price rule means for a bidder; the formula and its edge case come from `rules.PRICE`."""


def _price(tender: Tender) -> list[Block]:
    block = tender.price
    w = _points(tender.weights.price)
    rule, weight = rules.PRICE[block.method], {rules.W_PRICE: w}
    blocks: list[Block] = [
        Heading(2, f"Price ({w} points)"),
        Formula(f"price score = {rules.formula(rule, weight)}"),
        Para(_PRICE_SUMMARY[block.method]),
        *_edge_case(rule, rules.PRICE_WORDS[block.method], weight),
    ]
    if tender.weights.price == 0:
        blocks.append(Para(rules.sentence(rules.PRICE_UNWEIGHTED)))
    if block.method == "reference_linear":
        assert block.ceiling is not None and block.floor is not None
        blocks.append(
            Para(
                f"Ceiling {money(block.ceiling)} {tender.currency} (0 points at or above it); "
                f"floor {money(block.floor)}"
                f" {tender.currency} (full points at or below it)."
            )
        )
    else:
        blocks.append(
            Para(
                "P is the bid's total price; P_min and P_max are taken over the bids still in the "
                "competition (excluded bids do not count)."
            )
        )
    rounding = tender.rounding
    blocks += [
        Heading(3, "Worked example (illustrative prices)"),
        Para(
            "These prices are illustrative, not bids. The scores are computed by the same "
            "function that scores the real bids,"
            f" then rounded as published ({rounding.places} decimal places)."
        ),
        Table(
            ["bid", f"price ({tender.currency})", "working", "exact", "published score"],
            [
                [
                    e.label,
                    grouped(e.price, min_places=2),
                    e.working,
                    figure(e.points),
                    str(e.published),
                ]
                for e in worked_price_example(tender)
            ],
            [False, True, False, True, True],
        ),
    ]
    return blocks


_SOCIAL_VALUE_SUMMARY = {
    "relative_to_highest": "relative to the highest social value offered by a bid still in the competition",
    "relative_to_highest_ratio": "relative to the highest social value per unit of price among the bids"
    " still in the competition",
}
"""What the relative social value rules mean for a bidder; the formula and its edge case come from
`rules.SOCIAL_VALUE`."""


def _social_value(tender: Tender) -> list[Block]:
    block = tender.social_value
    w_total = Fraction(tender.weights.social_value)
    if block is None or w_total == 0:
        return [Heading(2, "Social value"), Para("Social value is not scored in this tender.")]
    w = Fraction(quantitative_weight(tender))
    blocks: list[Block] = [Heading(2, f"Social value ({_points(w_total)} points)")]
    blocks.append(
        Para(
            "Bidders commit to quantities of the measures listed below. Each commitment is valued "
            "at the measure's proxy value:"
        )
    )
    blocks.append(
        Formula(f"social value ({tender.currency}) = sum of proxy value × quantity × years")
    )
    blocks.append(
        Para(
            "Years default to 1; a measure counted for the whole contract or for the first year "
            "only counts once; record-only"
            " measures are reported but worth 0. Additionality is the social value as a "
            "percentage of the contract value"
            f" ({money(tender.contract_value)} {tender.currency})."
        )
    )
    blocks.extend(_gross_or_net(tender))
    rule, weight = rules.SOCIAL_VALUE[block.method], {rules.W_SV_QUANT: _points(w)}
    if w == 0:
        blocks.append(Para(rules.sentence(rules.SOCIAL_VALUE_UNWEIGHTED)))
    elif block.method == "target":
        assert block.target_pct is not None
        target = decimal_text(block.target_pct)
        shown = weight | {rules.TARGET_PCT: f"{target}%"}
        blocks.append(Formula(f"social value points = {rules.formula(rule, shown)}"))
        blocks.append(
            Para(
                f"A bid reaching the target of {target}% of the contract "
                f"value gets all {_points(w)} points."
            )
        )
    else:
        blocks.append(Formula(f"social value points = {rules.formula(rule, weight)}"))
        blocks.append(Para(f"The £ part is scored {_SOCIAL_VALUE_SUMMARY[block.method]}."))
        blocks += _edge_case(rule, rules.SOCIAL_VALUE_WORDS[block.method], weight)
    if block.criteria:
        blocks.append(
            Para(
                f"The remaining {_points(w_total - w)} points are for these criteria, scored by the panel like quality:"
            )
        )
        blocks.append(_criteria_table(tender, block.criteria, w_total, False))
    library = tender.measure_library
    if library is not None:
        measures = (
            [library.by_id[m] for m in block.measures if m in library.by_id]
            if block.measures is not None
            else list(library.measures)
        )
        scope = (
            "Only these measures count; any other measure offered is ignored (and flagged to the panel)."
            if block.measures is not None
            else "Every measure of the library counts."
        )
        deflated = any(deflators_for(tender, m).declared for m in measures)
        blocks.append(Heading(3, "Measures and proxy values"))
        blocks.append(
            Para(
                f"Library {library.id} version {library.version} ({library.currency}; {library.licence}). {scope}"
            )
        )
        blocks.append(
            Table(
                [
                    "measure",
                    "theme",
                    "title",
                    "unit",
                    f"proxy ({library.currency} per unit)",
                    "counting",
                    *(["deflators"] if deflated else []),
                ],
                [
                    [
                        m.id,
                        m.theme,
                        m.title,
                        m.unit,
                        grouped(m.proxy_value, min_places=2) if m.proxy_value is not None else "-",
                        _counting(m),
                        *([_deflators_text(deflators_for(tender, m))] if deflated else []),
                    ]
                    for m in measures
                ],
                [False, False, False, False, True, False, *([False] if deflated else [])],
            )
        )
    return blocks


_DEFLATOR_WORDS = {
    "deadweight_pct": "deadweight",
    "attribution_pct": "attribution",
    "displacement_pct": "displacement",
    "leakage_pct": "leakage",
    "drop_off_pct": "drop-off a year",
}


def _deflators_text(deflators: Deflators) -> str:
    """`deadweight 25%, attribution 20%, drop-off a year 10%`, as declared; `-` when none is."""
    declared = [
        f"{_DEFLATOR_WORDS[name]} {decimal_text(value)}%"
        for name in DEFLATOR_FIELDS
        if (value := getattr(deflators, name)) is not None
    ]
    return ", ".join(declared) or "-"


def _gross_or_net(tender: Tender) -> list[Block]:
    """Which social value is scored: gross (the proxies as they are) or net of the deflators."""
    library = tender.measure_library
    deflated = library is not None and any(
        deflators_for(tender, m).declared for m in library.measures
    )
    net_rule = Formula(
        "net social value = social value × (1 − deadweight) × (1 − attribution) × (1 − displacement)"
        " × (1 − leakage), each year after the first worth (1 − drop-off) of the year before"
    )
    if counts_net(tender):
        return [
            Para(
                "Social value is counted net: each commitment's value is reduced by the deflators"
                " of its measure (listed with the measures below; a deflator not declared is 0%):"
            ),
            net_rule,
            Para("The net social value is scored and counts for additionality."),
        ]
    if deflated:
        return [
            Para(
                "Social value is counted gross: the proxy values as they are score and count for"
                " additionality. The net value after the deflators listed with the measures is"
                " reported beside it for information only:"
            ),
            net_rule,
        ]
    return []


def methodology_document(tender: Tender) -> Document:
    """The published method as one document, its blocks in the order a bidder reads it."""
    weights = tender.weights
    block_rows = [
        [
            "quality",
            _points(weights.quality),
            (tender.quality.method.replace("_", " ") if tender.quality else "not scored"),
        ],
        ["price", _points(weights.price), tender.price.method.replace("_", " ")],
        [
            "social value",
            _points(weights.social_value),
            tender.social_value.method.replace("_", " ") if tender.social_value else "not scored",
        ],
    ]
    intro = f"Currency {tender.currency}; contract value {money(tender.contract_value)} {tender.currency}"
    if tender.duration_years is not None:
        intro += (
            f"; duration {tender.duration_years} year{'s' if tender.duration_years != 1 else ''}"
        )
    blocks: list[Block] = [Para(intro + ".")]
    if tender.description:
        blocks.append(Para(tender.description))
    blocks += [
        Heading(2, "How the total score is made up"),
        Para(f"The total is out of {_points(tender.points_total)} points:"),
        Table(["block", "points", "method"], block_rows, [False, True, False]),
        Heading(2, "Order of evaluation"),
        Items(
            [
                "Bids below a criterion's minimum score or the quality threshold are excluded; "
                "they do not count when the lowest"
                " price, highest price, best quality or highest social value are worked out.",
                "The remaining bids are scored on quality, price and social value as set out below.",
                "Each block score is rounded as published; the total is the sum of the rounded block scores.",
                "Bids are ranked by the lowest fictitious price, then by the tie-break rules."
                if tender.award_rule.model == "fictitious_price"
                else "Bids are ranked by total, then by the tie-break rules.",
            ]
        ),
        *_quality(tender),
        *_fictitious_price(tender),
        *_price(tender),
        *_social_value(tender),
        *_rounding_and_ties(tender),
        Para(f"Generated by svengine {__version__} from the tender file used for the evaluation."),
    ]
    return Document(f"Evaluation method: {tender.id} {tender.title}", blocks)


def _rounding_and_ties(tender: Tender) -> list[Block]:
    rounding = tender.rounding
    ties: list[str] = [_TIE_BREAK_WORDS[key] for key in tender.tie_break]
    if ties:
        tie_text = "Equal totals are decided by " + ", then ".join(ties) + "."
    else:
        tie_text = "No tie-break rule is published."
    return [
        Heading(2, "Rounding and ties"),
        Para(
            f"Quality, price and social value scores are each rounded to {rounding.places} decimal place"
            f"{'s' if rounding.places != 1 else ''}, {_ROUNDING_WORDS[rounding.mode]}; "
            "additionality percentages likewise."
            " Nothing else is rounded."
        ),
        Para(
            tie_text
            + " A tie that no published rule breaks is a shared rank; it is never decided at random."
        ),
    ]


def render_methodology(tender: Tender, fmt: str) -> str:
    """The published method as `markdown` or `html` text."""
    document = methodology_document(tender)
    if fmt == "markdown":
        return document.markdown()
    if fmt == "html":
        return document.html()
    raise ValueError(f"unknown format {fmt!r}; use markdown or html")
