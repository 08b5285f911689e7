"""The ``continuity`` command line: a thin layer over the public API."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from continuity.errors import ContinuityError
from continuity.io import read_study

__all__ = ["main"]

_EXAMPLES = ("solo", "bandung")


def _load(args):
    if args.example and args.path:
        args.parser.error("give a study folder or workbook, or --example, not both")
    if args.example:
        from continuity import datasets

        return getattr(datasets, f"load_{args.example}")()
    if not args.path:
        args.parser.error("give a study folder or workbook, or --example solo")
    return read_study(args.path)


def _add_source(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", help="a folder of CSV files or an .xlsx workbook")
    p.add_argument("--example", choices=_EXAMPLES, help="use a bundled example study instead")


def _write(df: pd.DataFrame, out: str | None) -> None:
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        df.to_csv(out, index=False)
        print(f"wrote {len(df)} rows to {out}")
    else:
        with pd.option_context("display.max_rows", 200, "display.width", 160,
                               "display.max_columns", 20):
            print(df.to_string(index=False))


def _show(args) -> None:
    study = _load(args)
    print(study)
    print()
    print("Leadership transitions:")
    cols = ["jurisdiction", "date", "from_holder", "to_holder", "to_kind", "leader_change",
            "gap_days", "transition_kind"]
    tr = study.transitions()
    tr["date"] = tr["date"].dt.date
    _write(tr[cols], None)


def _validate(args) -> None:
    study = _load(args)
    print(f"valid: {study!r}")


def _transitions(args) -> None:
    _write(_load(args).transitions(), args.out)


def _episodes(args) -> None:
    study = _load(args)
    options = {"level": args.level, "event": args.event}
    for name in ("window", "focal", "observed_from", "dormancy", "max_gap"):
        value = getattr(args, name)
        if value is not None:
            options[name] = value
    _write(study.episodes(**options), args.out)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``continuity`` command."""
    parser = argparse.ArgumentParser(
        prog="continuity",
        description="Do inter-governmental agreements outlive the leaders who signed them?",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("show", help="print a study's summary and its leadership transitions")
    p.set_defaults(parser=p)
    _add_source(p)
    p.set_defaults(run=_show)
    p = sub.add_parser("validate", help="check a study; list every problem")
    p.set_defaults(parser=p)
    _add_source(p)
    p.set_defaults(run=_validate)
    p = sub.add_parser("transitions", help="write the leadership transitions as CSV")
    p.set_defaults(parser=p)
    _add_source(p)
    p.add_argument("--out", help="CSV file to write (default: print)")
    p.set_defaults(run=_transitions)
    p = sub.add_parser("episodes", help="write the counting-process episodes as CSV")
    p.set_defaults(parser=p)
    _add_source(p)
    p.add_argument("--out", help="CSV file to write (default: print)")
    p.add_argument("--level", choices=("instrument", "relationship"), default="instrument")
    p.add_argument("--event", choices=("formal", "dormant"), default="formal")
    p.add_argument("--window", type=int,
                   help="days after a leader change that count as post_change")
    p.add_argument("--focal", help="the jurisdiction whose side is 'own'")
    p.add_argument("--observed-from", dest="observed_from", help="delayed entry at this date")
    p.add_argument("--dormancy", type=int,
                   help="days without activity that end a unit (event=dormant)")
    p.add_argument("--max-gap", dest="max_gap", type=int,
                   help="days between instruments that end a relationship")
    p.set_defaults(run=_episodes)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 invalid study, 2 usage)."""
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except ContinuityError as exc:
        print(f"continuity: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
