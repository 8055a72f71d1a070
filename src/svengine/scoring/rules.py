"""Every scoring rule, written once, as a small expression that each path evaluates its own way.

A rule is a tree of `Expr` nodes: numbers, names, + − × ÷, `minimum`, `maximum` and `if_equal`
(the only branch the published methods need: "when the highest equals the lowest", "when the best
is 0"), and `power` to a whole number of years (net social value's drop-off, read by the exact
path and the workbook only). The tree is built with ordinary operators, so a definition reads like its formula:

    PRICE["lowest_relative"] = W_price * P_min / P

and it is DERIVED, never rewritten, into:

- exact Fractions for `svengine.evaluate` and its explanations (`exact`, compiled once per rule);
- exact rationals over integer arrays for `scoring.columnar` (`RationalAlgebra`: a numerator and a
  positive denominator array, Python integers wherever int64 could overflow);
- binary floats over numpy arrays for score-uncertainty sampling (`FloatAlgebra`);
- Excel formula text for the workbook (`excel`), with the workbook's defined names as the names;
- the published methodology's formula line (`formula`: symbols such as P_min for the names) and
  its edge case, `When P_max = P_min: <Words.equal>` (`condition`), in the explanations' words.

The names are the workbook's defined names (`W_price`, `P_min`, `SV_max` ...) plus the bid's own
figures (`P` its evaluated price, `SV` its social value £, `SVPP` = SV ÷ P, `T` its quality
points). The reference values (`P_min`, `P_max`, `T_best`, `SV_max`, `SVPP_max`) are the extremes
over the bids still in the competition (`REFERENCE`); ranking is `rank_keys`.

Adding a price method means: one entry in `PRICE`, its `Words` in `PRICE_WORDS` (a title, labels
and the `if_equal` case's sentence: the explanation renders the expression itself, `words`), its
one-line summary for bidders (`report/methodology.py`), and its tests; the exact path, the columnar
path, the sampler, the explanation, the methodology's formula and the workbook's formula all follow
from the entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, Generic, Literal, Protocol, TypeVar

from svengine.model.award import AwardModel
from svengine.model.tender import PriceMethod, QualityMethod, SocialValueMethod, TieBreakKey

# -- the expression ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Expr:
    """A node: `op` is "num", "name", "+", "-", "*", "/", "^" (a whole-number power), "min", "max" or
    "if_equal"."""

    op: str
    args: tuple[Expr, ...] = ()
    value: Fraction | str | None = None

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        # The generated hash walked the whole tree on every dict lookup; explanations look nodes
        # up in `shown` for every bid (docs/performance.md). A node never changes: hash it once.
        return hash((self.op, self.args, self.value))

    def __add__(self, other: Expr | int) -> Expr:
        return Expr("+", (self, _expr(other)))

    def __radd__(self, other: int) -> Expr:
        return Expr("+", (_expr(other), self))

    def __sub__(self, other: Expr | int) -> Expr:
        return Expr("-", (self, _expr(other)))

    def __rsub__(self, other: int) -> Expr:
        return Expr("-", (_expr(other), self))

    def __mul__(self, other: Expr | int) -> Expr:
        return Expr("*", (self, _expr(other)))

    def __rmul__(self, other: int) -> Expr:
        return Expr("*", (_expr(other), self))

    def __truediv__(self, other: Expr | int) -> Expr:
        return Expr("/", (self, _expr(other)))

    def __rtruediv__(self, other: int) -> Expr:
        return Expr("/", (_expr(other), self))

    def names(self) -> set[str]:
        """The names this expression reads."""
        if self.op == "name":
            return {str(self.value)}
        return set().union(*(a.names() for a in self.args))


def _expr(value: Expr | int) -> Expr:
    return value if isinstance(value, Expr) else Expr("num", value=Fraction(value))


def name(text: str) -> Expr:
    return Expr("name", value=text)


def minimum(a: Expr | int, b: Expr | int) -> Expr:
    return Expr("min", (_expr(a), _expr(b)))


def maximum(a: Expr | int, b: Expr | int) -> Expr:
    return Expr("max", (_expr(a), _expr(b)))


def power(base: Expr | int, exponent: Expr | int) -> Expr:
    """`base` to a whole-number `exponent` (a count of years): exact for Fractions, `^` in Excel.
    Only the exact path and Excel text read it (no scoring figure sampled or columnar uses it)."""
    return Expr("^", (_expr(base), _expr(exponent)))


def if_equal(a: Expr | int, b: Expr | int, then: Expr | int, otherwise: Expr | int) -> Expr:
    """`then` when a = b, else `otherwise` (which is only evaluated where a ≠ b when exact)."""
    return Expr("if_equal", (_expr(a), _expr(b), _expr(then), _expr(otherwise)))


# -- the rules --------------------------------------------------------------------------------

P, P_MIN, P_MAX = name("P"), name("P_min"), name("P_max")
W_PRICE, CEILING, FLOOR = name("W_price"), name("Price_ceiling"), name("Price_floor")
T, T_BEST, W_QUALITY = name("T"), name("T_best"), name("W_quality")
SV, SVPP, SV_MAX, SVPP_MAX = name("SV"), name("SVPP"), name("SV_max"), name("SVPP_max")
W_SV_QUANT, CONTRACT_VALUE, TARGET_PCT = (
    name("W_sv_quant"),
    name("ContractValue"),
    name("TargetPct"),
)
WEIGHT, SCORE, MAX_SCORE = name("w"), name("s"), name("max")
AVAILABLE, MIN_TOTAL_PCT = name("A"), name("min_total_pct")

CRITERION_POINTS = WEIGHT * SCORE / MAX_SCORE
"""w_c × score_c / max_c; the quality points T are their sum over the quality criteria."""

MONEY_VALUE, DEDUCTIONS = name("m"), name("D")

DEDUCTION = MONEY_VALUE * SCORE / MAX_SCORE
"""award model fictitious_price: the money a criterion's mark is worth, m_c × score_c / max_c
(`money_value` is the amount for full marks); D is the sum over the quality criteria."""

FICTITIOUS_PRICE = P - DEDUCTIONS
"""The evaluated price less the value of the quality offered (Dutch "gunnen op waarde", Swedish
value deductions): ranked lowest first. Not clamped at 0: a negative figure still ranks, and is
flagged (docs/methods.md). The invoiced price stays the bid's price."""

REQUIRED_QUALITY = AVAILABLE * MIN_TOTAL_PCT / 100
"""The quality points a bid needs: min_total_pct of those available; below it (or below any
criterion's min_score) a bid is excluded and leaves the reference set."""

QUALITY: Mapping[str, Expr] = {
    "absolute": T,
    "relative_to_best": if_equal(T_BEST, 0, 0, W_QUALITY * T / T_BEST),
}

PRICE: Mapping[PriceMethod, Expr] = {
    "lowest_relative": W_PRICE * P_MIN / P,
    # All valid prices equal: every bid gets full marks (Consip rule; no division by zero).
    "min_max_linear": if_equal(P_MAX, P_MIN, W_PRICE, W_PRICE * (P_MAX - P) / (P_MAX - P_MIN)),
    "proportional_deviation": W_PRICE * maximum(0, 1 - (P - P_MIN) / P_MIN),
    "reference_linear": W_PRICE * minimum(maximum((CEILING - P) / (CEILING - FLOOR), 0), 1),
}

SVPP_RULE = SV / P
"""A bid's social value per unit of price (the ratio method's own figure)."""

ADDITIONALITY = SV / CONTRACT_VALUE * 100
"""Social value as a percentage of the contract value."""

SOCIAL_VALUE: Mapping[SocialValueMethod, Expr] = {
    "relative_to_highest": if_equal(SV_MAX, 0, 0, W_SV_QUANT * SV / SV_MAX),
    "relative_to_highest_ratio": if_equal(SVPP_MAX, 0, 0, W_SV_QUANT * SVPP / SVPP_MAX),
    "target": W_SV_QUANT * minimum(ADDITIONALITY / TARGET_PCT, 1),
}
"""The £ part of the social value score; the qualitative criteria's points are added to it."""

# -- the rules in words (the explanations) ----------------------------------------------------


@dataclass(frozen=True)
class Words:
    """How a rule reads in an explanation: `title: <the rule in words> = <the figure>`.

    The rule itself is rendered from its expression (`words`); `labels` says, after a figure,
    what it is ("(lowest valid price)"), the first time it appears or, for a name in `label_last`,
    the last. `equal` is the sentence for the `if_equal` branch taken when its two sides are
    equal, with `{name}` for a figure (min-max linear when every price is the same)."""

    title: str
    labels: Mapping[Expr, str] = field(default_factory=dict)
    label_last: frozenset[Expr] = frozenset()
    equal: str = ""

    @cached_property
    def layouts(self) -> dict[tuple[Expr, frozenset[Expr]], tuple[str | Expr, ...]]:
        """`words` laid out for each rule and set of figures shown, as first asked (a few)."""
        return {}


# The edge cases' sentences, written once: the explanations state them for one evaluation, the
# published methodology (report/methodology.py) states them as the rule's "when ..." line.
NO_SOCIAL_VALUE = "nobody offered any social value, so the £ part scores 0 for everyone"
"""`SOCIAL_VALUE`'s `if_equal` branch: the highest offer (or ratio) is 0."""

PRICE_UNWEIGHTED = "the price weight is 0, so the score is 0"
"""Any price method when W_price is 0."""

SOCIAL_VALUE_UNWEIGHTED = "the £ part has no weight"
"""Any social value method when W_sv_quant is 0 (the qualitative criteria may still score)."""

QUALITY_WORDS: Mapping[QualityMethod, Words] = {
    "relative_to_best": Words(
        "Relative to best",
        {T_BEST: "best T"},
        equal="no bid scored any quality points, so each scores 0",
    ),
}

PRICE_WORDS: Mapping[PriceMethod, Words] = {
    "lowest_relative": Words("Lowest relative", {P_MIN: "lowest valid price"}),
    "min_max_linear": Words(
        "Min-max linear",
        {P_MAX: "highest", P_MIN: "lowest"},
        equal="every valid bid has the same price {P}, so each gets the full {W_price}",
    ),
    "proportional_deviation": Words(
        "Proportional deviation", {P_MIN: "lowest"}, label_last=frozenset({P_MIN})
    ),
    "reference_linear": Words("Reference linear", {CEILING: "ceiling", FLOOR: "floor"}),
}

SOCIAL_VALUE_WORDS: Mapping[SocialValueMethod, Words] = {
    "relative_to_highest": Words(
        "Relative to highest", {SV_MAX: "highest valid offer"}, equal=NO_SOCIAL_VALUE
    ),
    "relative_to_highest_ratio": Words(
        "Relative to highest ratio",
        {SVPP: "social value ÷ price", SVPP_MAX: "highest ratio"},
        equal=NO_SOCIAL_VALUE,
    ),
    "target": Words("Target method", {TARGET_PCT: "target %"}),
}

# Net social value (docs/methods-net.md): HCA Additionality Guide and SROI arithmetic.
PROXY, QUANTITY, YEARS, YEAR = name("proxy"), name("q"), name("n"), name("k")
DEADWEIGHT, ATTRIBUTION = name("deadweight_pct"), name("attribution_pct")
DISPLACEMENT, LEAKAGE, DROP_OFF = (
    name("displacement_pct"),
    name("leakage_pct"),
    name("drop_off_pct"),
)


def _kept(pct: Expr) -> Expr:
    """What a deflator of `pct` % leaves: 1 − pct / 100 (an undeclared deflator is 0)."""
    return 1 - pct / 100


NET_FIRST_YEAR = (
    PROXY * QUANTITY * _kept(DEADWEIGHT) * _kept(ATTRIBUTION) * _kept(DISPLACEMENT) * _kept(LEAKAGE)
)
"""A commitment's first counted year net of the deflators, applied multiplicatively:
proxy × quantity × (1 − d)(1 − a)(1 − disp)(1 − l)."""

NET_YEAR = NET_FIRST_YEAR * power(_kept(DROP_OFF), YEAR - 1)
"""Year k (1, 2, ...): each year after the first is (1 − drop_off) of the year before."""

NET_VALUE = NET_FIRST_YEAR * if_equal(
    DROP_OFF, 0, YEARS, (1 - power(_kept(DROP_OFF), YEARS)) / (DROP_OFF / 100)
)
"""The sum of NET_YEAR over the n years counted (a geometric series, written in closed form so that
one spreadsheet cell holds it; n when nothing drops off)."""

REFERENCE: Mapping[str, tuple[Literal["min", "max"], str]] = {
    "P_min": ("min", "P"),
    "P_max": ("max", "P"),
    "T_best": ("max", "T"),
    "SV_max": ("max", "SV"),
    "SVPP_max": ("max", "SVPP"),
}
"""Each reference value: the lowest or highest of a bid figure over the bids not excluded."""

BLOCKS = ("quality", "price", "social_value")
"""Each block is rounded as declared; the published total is the sum of the rounded blocks."""


# -- ranking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankKey:
    """One step of the ranking: a published figure and whether higher or lower is better."""

    figure: Literal[
        "total",
        "quality",
        "price",
        "social_value",
        "price_amount",
        "has_points",
        "value_ratio",
        "fictitious_price",
    ]
    better: Literal["higher", "lower"]


def rank_keys(model: AwardModel, tie_break: Sequence[TieBreakKey]) -> list[RankKey]:
    """What a bid is ranked on, in order: the award model's lead, then the tie-break chain.

    weighted and fixed_price: the total, higher first; lowest_price_passing_quality: the
    evaluated price, lower first; price_per_quality_point: bids with points first, then price ÷
    total, lower first; fictitious_price: the evaluated price less the quality deductions
    (`FICTITIOUS_PRICE`), lower first. Then each tie-break (a block score higher first, lowest_price the
    price lower first). Bids equal on every key share a rank (1, 1, 3): nobody is picked at random.
    """
    keys: list[RankKey]
    if model == "lowest_price_passing_quality":
        keys = [RankKey("price_amount", "lower")]
    elif model == "fictitious_price":
        keys = [RankKey("fictitious_price", "lower")]
    elif model == "price_per_quality_point":
        keys = [RankKey("has_points", "higher"), RankKey("value_ratio", "lower")]
    else:
        keys = [RankKey("total", "higher")]
    for key in tie_break:
        keys.append(
            RankKey("price_amount", "lower") if key == "lowest_price" else RankKey(key, "higher")
        )
    return keys


def value_ratio(price: Fraction, total: Fraction) -> Fraction | None:
    """price_per_quality_point: price ÷ published total; None when the total is not positive."""
    return price / total if total > 0 else None


def competition_ranks(keys: Sequence[tuple[Any, ...]], ids: Sequence[str]) -> list[int]:
    """Standard competition ranks (1, 1, 3) of bids by `keys` (smaller first), ties shared.

    Order is by key, then id, so the input order never matters."""
    order = sorted(range(len(ids)), key=lambda i: (keys[i], ids[i]))
    ranks = [0] * len(ids)
    previous: tuple[Any, ...] | None = None
    group_rank = 0
    for position, index in enumerate(order, start=1):
        if previous is None or keys[index] != previous:
            group_rank = position
            previous = keys[index]
        ranks[index] = group_rank
    return ranks


def key_value(key: RankKey, value: Any) -> Any:
    """A figure as a sort key, smaller first (negated when higher is better)."""
    return -value if key.better == "higher" else value


# -- exact (Fractions) ------------------------------------------------------------------------

Env = Mapping[str, Fraction]
_compiled: dict[Expr, Callable[[Env], Fraction]] = {}


def exact(expr: Expr) -> Callable[[Env], Fraction]:
    """The rule as a function of its names' exact values (compiled once, then reused)."""
    function = _compiled.get(expr)
    if function is None:
        function = _compiled[expr] = _compile(expr)
    return function


def _compile(expr: Expr) -> Callable[[Env], Fraction]:
    op = expr.op
    if op == "num":
        constant = expr.value
        assert isinstance(constant, Fraction)
        return lambda env: constant
    if op == "name":
        key = str(expr.value)
        return lambda env: env[key]
    parts = [_compile(a) for a in expr.args]
    if op == "if_equal":
        a, b, then, otherwise = parts
        return lambda env: then(env) if a(env) == b(env) else otherwise(env)
    left, right = parts
    binary: dict[str, Callable[[Env], Fraction]] = {
        "+": lambda env: left(env) + right(env),
        "-": lambda env: left(env) - right(env),
        "*": lambda env: left(env) * right(env),
        "/": lambda env: left(env) / right(env),
        "min": lambda env: min(left(env), right(env)),
        "max": lambda env: max(left(env), right(env)),
        "^": lambda env: left(env) ** _whole(right(env)),
    }
    return binary[op]


def _whole(exponent: Fraction) -> int:
    if exponent.denominator != 1:
        raise ValueError(f"a power takes a whole-number exponent, not {exponent}")
    return exponent.numerator


# -- arrays (exact rationals, or floats) ------------------------------------------------------

V = TypeVar("V")


class Algebra(Protocol, Generic[V]):
    """How one kind of value adds, divides, compares and chooses (element by element)."""

    def const(self, value: Fraction) -> V: ...
    def add(self, a: V, b: V) -> V: ...
    def sub(self, a: V, b: V) -> V: ...
    def mul(self, a: V, b: V) -> V: ...
    def div(self, a: V, b: V) -> V: ...
    def minimum(self, a: V, b: V) -> V: ...
    def maximum(self, a: V, b: V) -> V: ...
    def if_equal(self, a: V, b: V, then: V, otherwise: V) -> V: ...


def evaluate(expr: Expr, env: Mapping[str, V], algebra: Algebra[V]) -> V:
    """The rule over arrays: both branches of `if_equal` are computed and chosen per element, so
    the algebra must tolerate a division by zero in the branch that is not chosen."""
    op = expr.op
    if op == "num":
        assert isinstance(expr.value, Fraction)
        return algebra.const(expr.value)
    if op == "name":
        return env[str(expr.value)]
    values = [evaluate(a, env, algebra) for a in expr.args]
    if op == "if_equal":
        return algebra.if_equal(*values)
    methods: dict[str, Callable[[V, V], V]] = {
        "+": algebra.add,
        "-": algebra.sub,
        "*": algebra.mul,
        "/": algebra.div,
        "min": algebra.minimum,
        "max": algebra.maximum,
    }
    return methods[op](values[0], values[1])


# -- Excel formula text -----------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}


def excel(expr: Expr, cells: Mapping[str, str] | None = None) -> str:
    """The rule as Excel formula text; a name is the cell in `cells`, or the workbook's defined
    name of that spelling. Parentheses only where precedence needs them."""
    return _text(expr, cells or {})


def _integer_text(expr: Expr) -> str:
    """A literal of a rule as written: the rules hold whole numbers only (1, 100)."""
    value = expr.value
    assert isinstance(value, Fraction) and value.denominator == 1
    return str(value.numerator)


def _text(expr: Expr, cells: Mapping[str, str]) -> str:
    op = expr.op
    if op == "num":
        return _integer_text(expr)
    if op == "name":
        return cells.get(str(expr.value), str(expr.value))
    if op == "if_equal":
        a, b, then, otherwise = (_text(x, cells) for x in expr.args)
        return f"IF({a}={b},{then},{otherwise})"
    if op in ("min", "max"):
        a, b = (_text(x, cells) for x in expr.args)
        return f"{op.upper()}({a},{b})"
    left, right = expr.args
    mine = _PRECEDENCE[op]
    left_text = _text(left, cells)
    if _PRECEDENCE.get(left.op, 9) < mine:
        left_text = f"({left_text})"
    right_text = _text(right, cells)
    # a − (b ± c), a ÷ (b × c): the right side binds at the same level only in parentheses.
    if _PRECEDENCE.get(right.op, 9) <= mine:
        right_text = f"({right_text})"
    return f"{left_text}{op}{right_text}"


# -- words ------------------------------------------------------------------------------------

_SIGN = {"+": " + ", "-": " − ", "*": " × ", "/": " / "}


def words(expr: Expr, shown: Mapping[Expr, str], how: Words) -> str:
    """The rule in words with each figure shown as `shown` gives it (a name, or a whole part such
    as `ADDITIONALITY`, by its node), labelled as `how` says; parentheses exactly where the formula
    text has them. `if_equal` reads as its general branch (the caller writes `how.equal` when the
    sides are equal), `min(max(x, a), b)` as `clamp(x, a, b)`."""
    # The words depend on which figures are shown, not on their values: they are laid out once per
    # rule and set of figures (`_layout`), and each bid's figures are put in their places.
    key = (expr, frozenset(shown))
    layout = how.layouts.get(key)
    if layout is None:
        layout = how.layouts[key] = _layout(expr, key[1], how)
    return "".join([part if isinstance(part, str) else shown[part] for part in layout])


_MARK = "\x00"


def _layout(expr: Expr, figures: frozenset[Expr], how: Words) -> tuple[str | Expr, ...]:
    """`words` as its fixed text and the nodes whose figures go between: written with a mark for
    each figure (a character no text holds), then cut at the marks."""
    nodes = list(figures)
    marks = {node: f"{_MARK}{index}{_MARK}" for index, node in enumerate(nodes)}
    order = _figures(expr, marks, [])
    labelled: dict[Expr, int] = {}
    for position, node in enumerate(order):
        if node in how.labels and (node in how.label_last or node not in labelled):
            labelled[node] = position
    text = _words(expr, marks, how, iter(range(len(order))), set(labelled.values()))
    pieces = text.split(_MARK)
    # Between two marks is a figure's index: the pieces alternate text, index, text, ...
    return tuple(
        piece if position % 2 == 0 else nodes[int(piece)]
        for position, piece in enumerate(pieces)
        if position % 2 or piece
    )


def _figures(expr: Expr, shown: Mapping[Expr, str], found: list[Expr]) -> list[Expr]:
    """The figures in the order they are written."""
    if expr in shown:
        found.append(expr)
    elif expr.op == "if_equal":
        _figures(expr.args[3], shown, found)
    elif _is_clamp(expr):
        inner = expr.args[0]
        for part in (inner.args[0], inner.args[1], expr.args[1]):
            _figures(part, shown, found)
    else:
        for part in expr.args:
            _figures(part, shown, found)
    return found


def _is_clamp(expr: Expr) -> bool:
    return expr.op == "min" and expr.args[0].op == "max"


def _words(
    expr: Expr, shown: Mapping[Expr, str], how: Words, positions: Any, labelled: set[int]
) -> str:
    if expr in shown:
        text = shown[expr]
        return f"{text} ({how.labels[expr]})" if next(positions) in labelled else text
    op = expr.op
    if op == "num":
        return _integer_text(expr)
    if op == "name":
        raise KeyError(f"no figure shown for {expr.value}")
    if op == "if_equal":
        return _words(expr.args[3], shown, how, positions, labelled)
    if _is_clamp(expr):
        inner = expr.args[0]
        parts = (inner.args[0], inner.args[1], expr.args[1])
        return "clamp(" + ", ".join(_words(p, shown, how, positions, labelled) for p in parts) + ")"
    if op in ("min", "max"):
        a, b = (_words(x, shown, how, positions, labelled) for x in expr.args)
        return f"{op}({a}, {b})"
    left, right = expr.args
    mine = _PRECEDENCE[op]
    left_text = _words(left, shown, how, positions, labelled)
    if left not in shown and _PRECEDENCE.get(left.op, 9) < mine:
        left_text = f"({left_text})"
    right_text = _words(right, shown, how, positions, labelled)
    if right not in shown and _PRECEDENCE.get(right.op, 9) <= mine:
        right_text = f"({right_text})"
    return f"{left_text}{_SIGN[op]}{right_text}"


# -- the published formula (report/methodology.py) --------------------------------------------

SYMBOLS: Mapping[Expr, str] = {CEILING: "ceiling", FLOOR: "floor", ADDITIONALITY: "additionality"}
"""The published method's word for a figure whose name here is not the one readers know; every
other name reads as itself (P, P_min, P_max, T, T_best, SV, SV_max ...)."""

FIGURE_RULES: Mapping[Expr, Expr] = {SVPP: SVPP_RULE}
"""A bid figure that is itself a rule reads as that rule in parentheses, and its reference value
(`REFERENCE`) as the extreme of it: SVPP as (SV / P), SVPP_max as max(SV / P)."""

_PLAIN = Words("")


def formula(expr: Expr, shown: Mapping[Expr, str] | None = None) -> str:
    """The rule as the published method writes it (`words` with symbols, no labels): a name that
    `shown` gives (the tender's weight, say) as that figure, every other by its symbol."""
    return words(expr, symbols(expr) | dict(shown or {}), _PLAIN)


def symbols(expr: Expr) -> dict[Expr, str]:
    """Each figure the rule reads, by the symbol the published method writes for it."""
    symbols = _own_names(expr)
    for figure, rule in FIGURE_RULES.items():
        symbols[figure] = f"({words(rule, _own_names(rule) | dict(SYMBOLS), _PLAIN)})"
        for reference, (extreme, of) in REFERENCE.items():
            if name(of) == figure:
                symbols[name(reference)] = extreme + symbols[figure]
    return symbols | dict(SYMBOLS)


def _own_names(expr: Expr) -> dict[Expr, str]:
    return {name(text): text for text in expr.names()}


def condition(expr: Expr, shown: Mapping[Expr, str] | None = None) -> str | None:
    """`a = b` when the rule is an `if_equal` (the case its `Words.equal` states), else None."""
    if expr.op != "if_equal":
        return None
    a, b = expr.args[:2]
    return f"{formula(a, shown)} = {formula(b, shown)}"


def equal_words(how: Words, shown: Mapping[Expr, str]) -> str:
    """`how.equal` with its `{name}` figures as `shown` gives them (a figure, or a symbol)."""
    return how.equal.format_map({str(e.value): text for e, text in shown.items() if e.op == "name"})


def sentence(words: str) -> str:
    """An edge case's words (`NO_SOCIAL_VALUE` ...) as a sentence of its own: capital first."""
    return words[:1].upper() + words[1:] + "."
