"""``scalingtheory report [--out DIR] [--quick] [--model NAME ...]``: the main job."""

from __future__ import annotations

import sys

from . import FAILED

NAME = "report"
HELP = "write the report (Markdown, LaTeX, PDF where pdflatex exists, PNG figures, checks.json) into DIR"


def configure(parser):
    parser.add_argument("--out", default="scalingtheory-report", metavar="DIR",
                        help="output directory (default ./scalingtheory-report; created; other files untouched)")
    parser.add_argument("--quick", action="store_true",
                        help="smaller numerics for a fast run: every check still runs, at its quick size, with its own "
                             "verdict ('not resolved at quick size' where that size cannot resolve it)")
    parser.add_argument("--model", action="append", metavar="NAME", help="only these models (repeatable)")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty DIR that holds no earlier report (files of the same names are "
                             "replaced, other files left alone)")


def run(args) -> int:
    from ..models import get_model
    from ..report.report import build_report

    for name in args.model or []:
        get_model(name)
    info = build_report(args.out, quick=args.quick, models=args.model, force=args.force)
    if info["pdf_error"]:
        print(f"wrote {len(info['files'])} files to {args.out}; the PDF failed:\n{info['pdf_error']}", file=sys.stderr)
        return FAILED
    print(f"wrote {len(info['files'])} files to {args.out}" + (" (with PDF)" if info["pdf"] else " (no pdflatex: no PDF)"))
    return 0
