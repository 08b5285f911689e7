"""The ``continuity`` command line: a thin layer over the public API.

Every failure exits with status 1 and a message on stderr, without a traceback (``--debug``
shows it); a usage error exits with 2. Text from the data reaches the terminal with its control
characters escaped, tables are written through :func:`continuity.export.write_csv` (formulas
neutralised), and ``--out`` never writes over the study's own input files.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from continuity._options import Lang, choices
from continuity.errors import ContinuityError, ValidationError, WriteError
from continuity.export import FORMATS, write_table
from continuity.io import input_files, read_study

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
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show the traceback of a failure")


# C0 and C1 control characters (ESC among them) and the bidirectional overrides that can make
# text on a terminal read other than it is.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(text: str, keep_newlines: bool = True) -> str:
    """``text`` with control characters written as escapes (``\\x1b``), newlines kept."""
    def one(m: re.Match) -> str:
        c = m.group()
        if keep_newlines and c == "\n":
            return c
        return repr(c)[1:-1]
    return _CONTROL.sub(one, text)


def _say(text: str, file=None) -> None:
    print(_escape(str(text)), file=file or sys.stdout)


def _printable(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(lambda v: _escape(v, keep_newlines=False)
                                    if isinstance(v, str) else v)
    return out


def _check_out(out: str, args) -> Path:
    path = Path(out)
    if args.path and path.resolve() in input_files(args.path):
        raise WriteError(f"--out {out} is one of the study's input files (or would be read as "
                         "one); write the table elsewhere")
    return path


def _write(df: pd.DataFrame, out: str | None, args=None) -> None:
    if out:
        fmt = getattr(args, "format", "csv")
        path = write_table(df, _check_out(out, args), fmt)
        _say(f"wrote {len(df)} rows to {path}")
    else:
        with pd.option_context("display.max_rows", 200, "display.width", 160,
                               "display.max_columns", 20):
            _say(_printable(df).to_string(index=False))


def _show(args) -> None:
    study = _load(args)
    _say(repr(study))
    _say("")
    _say("Leadership transitions:")
    cols = ["jurisdiction", "date", "from_holder", "to_holder", "to_kind", "leader_change",
            "gap_days", "transition_kind"]
    tr = study.transitions()
    tr["date"] = tr["date"].dt.date
    _write(tr[cols], None)


def _validate(args) -> None:
    study = _load(args)
    _say(f"valid: {study!r}")


def _transitions(args) -> None:
    _write(_load(args).transitions(), args.out, args)


def _episodes(args) -> None:
    study = _load(args)
    options = {"level": args.level, "event": args.event}
    for name in ("window", "focal", "observed_from", "dormancy", "max_gap"):
        value = getattr(args, name)
        if value is not None:
            options[name] = value
    _write(study.episodes(**options), args.out, args)


def _report(args) -> None:
    from continuity.report import write_report

    out = Path(args.out)
    if args.path and (out.resolve() == Path(args.path).resolve()
                      or set(input_files(args.path)) & set(out.resolve().glob("**/*"))):
        raise WriteError(f"--out {args.out} holds the study's own input files; write the report "
                         "to another folder")
    study = _load(args)
    name = args.name or _EXAMPLE_NAMES.get(args.example)
    path = write_report(study, out, lang=args.lang, focal=args.focal, name=name,
                        force=args.force, format=args.format)
    _say(f"wrote {path} (open it in a browser) and its tables in {path.parent / 'tables'}")


_EXAMPLE_NAMES = {"solo": "Surakarta (Solo)", "bandung": "Bandung"}


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="csv",
                   help="file format of written tables (parquet needs the parquet extra)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``continuity`` command."""
    parser = argparse.ArgumentParser(
        prog="continuity",
        description="Do inter-governmental agreements outlive the leaders who signed them?",
    )
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of a failure")
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
    p.add_argument("--out", help="file to write (default: print)")
    _add_format(p)
    p.set_defaults(run=_transitions)
    p = sub.add_parser("episodes", help="write the counting-process episodes as CSV")
    p.set_defaults(parser=p)
    _add_source(p)
    p.add_argument("--out", help="file to write (default: print)")
    _add_format(p)
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
    p = sub.add_parser("report", help="write the evaluation report (report.html) and its tables")
    p.set_defaults(parser=p)
    _add_source(p)
    p.add_argument("--out", required=True, help="the folder to write (new or empty)")
    p.add_argument("--lang", choices=choices(Lang), default="en",
                   help="language of the report's own words (en, or id for Indonesian)")
    p.add_argument("--focal", help="the jurisdiction whose evaluation this is")
    p.add_argument("--name", help="what the title calls the study")
    p.add_argument("--force", action="store_true", help="write into a non-empty folder")
    _add_format(p)
    p.set_defaults(run=_report)
    return parser


def _failure(exc: BaseException) -> str:
    """The message of a failure: a ValidationError lists every problem, any other error is
    one line."""
    if isinstance(exc, ValidationError):
        return str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if not isinstance(exc, ContinuityError):
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 failure, 2 usage)."""
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except Exception as exc:  # every failure: one message, exit 1 (--debug: the traceback)
        if args.debug:
            raise
        _say(f"continuity: {_failure(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
