"""Command-line interface: ``scalingtheory <command> ...`` (also ``python -m scalingtheory``).

Subcommands live in :mod:`scalingtheory.commands`, one module each, and are found
automatically. Each module defines ``NAME``, ``HELP``, ``configure(parser)`` and
``run(args) -> int``; a module that sets ``MODEL_PARAMS = True`` receives the
model parameters (``--alpha 2 --beta 1/2 ...``) in ``args.model_args``.

Bad input (a ``ValueError`` from any layer, a missing file) prints one line and exits with status 2;
a computation that fails (``RuntimeError``) exits with status 1.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands


def _command_modules() -> list:
    mods = [importlib.import_module(f"{commands.__name__}.{info.name}")
            for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_")]
    return sorted(mods, key=lambda m: m.NAME)


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="scalingtheory",
        description="Exact exponents, compute-optimal rules, solvers and fits for neural scaling laws.")
    parser.add_argument("--version", action="version", version=f"scalingtheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for mod in _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.configure(p)
        modules[mod.NAME] = mod
    return parser, modules


def main(argv=None) -> int:
    parser, modules = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    module = modules[args.command]
    if extra and not getattr(module, "MODEL_PARAMS", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.model_args = extra
    try:
        return int(module.run(args) or 0)
    except (ValueError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"scalingtheory {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # a computation that failed (solver, pdflatex): not the user's input
        print(f"scalingtheory {args.command}: failed: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
