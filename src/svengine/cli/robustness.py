"""`svengine robustness FOLDER [--out DIR]`: how fragile the outcome was (information, never the decision)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from svengine.analysis.robustness import robustness_report
from svengine.cli.common import EXIT_OK, EXIT_PROBLEMS, print_problems
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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    target = args.out / ROBUSTNESS_FILE if args.out else None
    try:
        refuse_existing([target] if target else [], args.force)
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    inputs, problems = read_folder(args.folder)
    if inputs is None:
        print_problems(problems)
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
    print(summary_text(report))
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


def summary_text(report: dict[str, Any]) -> str:
    """The robustness report for reading (lot by lot for a tender with lots)."""
    tender = report["tender"]
    lines = [
        f"Robustness of {tender['id']}: {tender['title']}",
        "Information only: nothing below changes the result, which follows the published method.",
        f"Award model: {report['award_model']}",
    ]
    if "lots" not in report:
        return "\n".join(lines + _competition_text(report))
    lines.append(report["note"])
    for lot in report["lots"]:
        lines += ["", f"== Lot {lot['lot']['id']}: {lot['lot']['title']}"]
        lines += _competition_text(lot)
    return "\n".join(lines)


def _competition_text(report: dict[str, Any]) -> list[str]:
    result = report["result"]
    lines = [f"Winner: {', '.join(result['winner']) or 'none'}"]
    if "note" in report and "rank_reversal" not in report:
        return [*lines, f"  {report['note']}"]
    for bid in result["excluded"]:
        lines.append(
            f"  {bid['bidder_id']} excluded ({', '.join(bid['exclusions'])}): left out of every "
            "re-run's reference values"
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
        parts = []
        for key in ("increase", "decrease"):
            change = row.get(key)
            parts.append(
                f"{key} "
                f"{'>' if change and not change['attained'] else ''}{change['approx_points']} "
                f"({change['new_leader']} wins)"
                if change
                else f"no {key} changes it"
            )
        lines.append(f"  {row['block']} (weight {row['weight']}): " + "; ".join(parts))
    runners = report["runners_up"]
    lines += ["", "What each runner-up needed to win (one change alone):"]
    for key in ("price_cut_not_analysed", "extra_quality_not_analysed"):
        if key in runners:
            lines.append(f"  ({runners[key]})")
    for bid in runners["bids"]:
        parts = []
        if "price_cut_not_analysed" not in runners:
            parts.append(
                f"a price cut of {bid['price_cut']} ({bid['price_cut_pct']}%)"
                if bid["price_cut"]
                else "no price cut alone"
            )
        if "extra_quality_not_analysed" not in runners:
            parts.append(
                f"{bid['extra_quality_points']} more quality points"
                if bid["extra_quality_points"]
                else "no quality gain alone"
            )
        lines.append(f"  {bid['bidder_id']} (rank {bid['rank']}): {', or '.join(parts)}")
    if not runners["bids"]:
        lines.append("  no runners-up")
    uncertainty = report["score_uncertainty"]
    lines += ["", "Score uncertainty (floating point, sampled):"]
    if not uncertainty["available"]:
        lines.append(f"  {uncertainty['note']}")
    else:
        lines.append(
            f"  {uncertainty['samples']} samples, seed {uncertainty['seed']}, sampling error "
            f"{uncertainty['sampling_error']}"
        )
        for bid in uncertainty["bids"]:
            lines.append(
                f"  {bid['bidder_id']}: wins {bid['win_probability']}, shares first "
                f"{bid['shared_first_probability']}, excluded {bid['excluded_probability']}"
            )
    return lines
