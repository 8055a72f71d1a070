"""`svengine robustness FOLDER [--out DIR]`: how fragile the outcome was (information, never the decision)."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from svengine.analysis.robustness import robustness_report
from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, print_problems, written_with_out
from svengine.display import amount, percent, quantity
from svengine.io.loaders import read_folder
from svengine.io.output import refuse_existing, write_atomic
from svengine.problems import OutputExists

ROBUSTNESS_FILE = "robustness.json"


def _count(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError("must be a whole number from 1 to 1,000,000")
    return value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "robustness",
        help="rank reversal, weight sensitivity and score uncertainty (information only)",
    )
    parser.add_argument(
        "folder", type=Path, help="the evaluation folder (tender.yaml, bids/, scores.csv)"
    )
    parser.add_argument(
        "--out", type=Path, help="write DIR/robustness.json (never inside result.json)"
    )
    parser.add_argument(
        "--samples", type=_count, default=10_000, help="score-uncertainty samples (default 10,000)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the score sampling (default 0)"
    )
    parser.add_argument("--force", action="store_true", help="replace robustness.json if it exists")
    parser.set_defaults(run=run, problems_outcome=written_with_out)


def run(args: argparse.Namespace) -> int:
    target = args.out / ROBUSTNESS_FILE if args.out else None
    try:
        refuse_existing([target] if target else [], args.force)
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    inputs, problems = read_folder(args.folder)
    if inputs is None:
        print_problems(problems, written_with_out(args))
        return EXIT_PROBLEMS
    report = robustness_report(
        inputs.tender,
        inputs.bids,
        inputs.scores,
        samples=args.samples,
        seed=args.seed,
        sv_moderation=inputs.sv_moderation,
        decisions=inputs.decisions,
    )
    from svengine.analysis.premium import premium_json, premium_lines, premium_report
    from svengine.scoring.evaluate import evaluate

    result = evaluate(
        inputs.tender, inputs.bids, inputs.scores, inputs.sv_moderation, inputs.decisions
    )
    premium = premium_report(inputs.tender, result)
    report["social_value_premium"] = premium_json(premium)
    print(summary_text(report, inputs.tender.currency))
    print(
        "\n"
        + "\n".join(premium_lines(premium, inputs.tender.currency, inputs.tender.rounding.places))
    )
    if target is not None:
        try:
            write_atomic(
                target, json.dumps(report, indent=2, ensure_ascii=False) + "\n", force=args.force
            )
        except OutputExists as error:
            print(f"svengine: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"\nwrote {target}")
    return EXIT_OK


AWARD_MODELS = {
    "weighted": "the highest total of quality, price and social value points wins",
    "lowest_price": "the lowest price wins",
    "price_per_quality_point": "the lowest price per quality point wins",
}
BLOCK_NAMES = {"quality": "quality", "price": "price", "social_value": "social value"}


def summary_text(report: dict[str, Any], currency: str = "GBP") -> str:
    """The robustness report for reading (lot by lot for a tender with lots).

    Figures are shown for people (svengine.display): money in `currency` to 2 places,
    percentages and points to 2 places, probabilities as percentages; robustness.json keeps them
    exact (or to 4 places where sampled).
    """
    tender = report["tender"]
    model = report["award_model"]
    lines = [
        f"Robustness of {tender['id']}: {tender['title']}",
        "Information only: nothing below changes the result, which follows the published method.",
        f"Award model: {AWARD_MODELS.get(model, model)}",
    ]
    if "lots" not in report:
        return "\n".join(lines + _competition_text(report, currency))
    lines.append(report["note"])
    for lot in report["lots"]:
        lines += ["", f"== Lot {lot['lot']['id']}: {lot['lot']['title']}"]
        lines += _competition_text(lot, currency)
    return "\n".join(lines)


def _points(exact: str) -> str:
    return quantity(Fraction(exact))


def _probability(text: str) -> str:
    return percent(Decimal(text) * 100)


def _weight_change(key: str, change: dict[str, Any] | None) -> str:
    if not change:
        return f"no {key} changes it"
    size = _points(change["points"])
    moved = f"{key} of {size} points" if change["attained"] else f"{key} of more than {size} points"
    return (
        f"an {moved} ({change['new_leader']} wins)"
        if key == "increase"
        else f"a {moved} ({change['new_leader']} wins)"
    )


def _price_cut(bid: dict[str, Any], currency: str) -> str:
    if not bid["price_cut"]:
        return "no price cut alone"
    cut = Fraction(bid["price_cut"])
    share = cut * 100 / Fraction(bid["price"])
    return f"a price cut of {amount(cut, currency)} ({percent(share)} of its price)"


def _competition_text(report: dict[str, Any], currency: str) -> list[str]:
    result = report["result"]
    lines = [f"Winner: {', '.join(result['winner']) or 'none'}"]
    if "note" in report and "rank_reversal" not in report:
        return [*lines, f"  {report['note']}"]
    for bid in result["excluded"]:
        lines.append(
            f"  {bid['bidder_id']} excluded ({', '.join(c.replace('_', ' ') for c in bid['exclusions'])}):"
            " left out of every re-run's reference values"
        )
    lines += ["", "Rank reversal (re-ranked without each bid that sets a reference value):"]
    reversal = report["rank_reversal"]
    if not reversal["relative_references"]:
        lines.append(f"  {reversal['note']}")
    for removal in reversal["removals"]:
        changes = [c for c in removal["changes"] if c["change"] == "reversed"]
        text = (
            ", ".join(f"{c['behind_before']} overtakes {c['ahead_before']}" for c in changes)
            or "no order changes"
        )
        others = len(removal["changes"]) - len(changes)
        if others:
            text += f" ({others} tie change{'s' if others != 1 else ''})"
        winner = (
            f"; winner becomes {', '.join(removal['winner_without'])}"
            if removal["winner_changes"]
            else ""
        )
        lines.append(
            f"  without {removal['removed']} ({', '.join(removal['sets'])}): {text}{winner}"
        )
    sensitivity = report["weight_sensitivity"]
    lines += ["", "Weight sensitivity (smallest move of a block's weight that changes the winner):"]
    if sensitivity.get("skipped"):
        lines.append(f"  not computed: {sensitivity['skipped']}")
    for row in sensitivity["blocks"]:
        if row.get("skipped"):
            lines.append(f"  {row['block']}: {row['skipped']}")
            continue
        parts = [_weight_change(key, row.get(key)) for key in ("increase", "decrease")]
        block = BLOCK_NAMES.get(row["block"], row["block"])
        lines.append(f"  {block} (weight {_points(row['weight'])}): " + "; ".join(parts))
    runners = report["runners_up"]
    lines += ["", "What each runner-up needed to win (one change alone):"]
    for key in ("price_cut_not_analysed", "extra_quality_not_analysed"):
        if key in runners:
            lines.append(f"  ({runners[key]})")
    for bid in runners["bids"]:
        parts = []
        if "price_cut_not_analysed" not in runners:
            parts.append(_price_cut(bid, currency))
        if "extra_quality_not_analysed" not in runners:
            parts.append(
                f"{_points(bid['extra_quality_points'])} more quality points"
                if bid["extra_quality_points"]
                else "no quality gain alone"
            )
        lines.append(f"  {bid['bidder_id']} (rank {bid['rank']}): {', or '.join(parts)}")
    if not runners["bids"]:
        lines.append("  no runners-up")
    uncertainty = report["score_uncertainty"]
    lines += ["", "Score uncertainty (estimated by re-scoring with the evaluators' own scores):"]
    if not uncertainty["available"]:
        lines.append(f"  {uncertainty['note']}")
    else:
        samples = uncertainty["samples"]
        error = Decimal(50) / Decimal(samples).sqrt()  # one standard error of a share, in percent
        lines.append(
            f"  {quantity(samples)} random draws (seed {uncertainty['seed']}); each share below is within"
            f" about {percent(error)} of its true value"
        )
        for bid in uncertainty["bids"]:
            lines.append(
                f"  {bid['bidder_id']}: wins in {_probability(bid['win_probability'])} of draws,"
                f" shares first place in {_probability(bid['shared_first_probability'])},"
                f" is excluded in {_probability(bid['excluded_probability'])}"
            )
    return lines
