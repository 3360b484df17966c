"""Command-line interface: ``scalingtheory <command> ...`` (also ``python -m scalingtheory``).

Subcommands live in :mod:`scalingtheory.commands`, one module each, and are found
automatically. Each module defines ``NAME``, ``HELP``, ``configure(parser)`` and
``run(args) -> int``; a module that sets ``MODEL_PARAMS = True`` receives the
model parameters (``--alpha 2 --beta 1/2 ...``) in ``args.model_args``. Command
modules import their heavy libraries inside ``configure``/``run``, and only the
chosen command is configured, so ``scalingtheory --help`` starts without SymPy.

Every command ends with one of the statuses of :data:`EXIT_CODES` (printed by
``--help``); no input gives a traceback: :func:`exit_status` turns any exception
into a status and a one-line message.

>>> exit_status(ValueError("beta must satisfy beta > 0, got -1"))
(2, 'error: beta must satisfy beta > 0, got -1')
>>> exit_status(MemoryError())
(3, 'failed: out of memory (MemoryError)')
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import warnings

from . import commands
from ._version import __version__
from .commands import BAD_INPUT, EXIT_CODES, FAILED, INTERRUPTED, NEGATIVE, OK  # noqa: F401


def exit_code_table(markdown: bool = False) -> str:
    """The table of :data:`EXIT_CODES`, as plain text (``--help``) or Markdown (README)."""
    if markdown:
        return "\n".join(["| status | meaning |", "|---|---|"] +
                         [f"| {code} | {text} |" for code, text in EXIT_CODES.items()])
    import textwrap

    return "exit status:\n" + "\n".join(textwrap.fill(text, 78, initial_indent=f"  {code:<5}", subsequent_indent=" " * 7)
                                         for code, text in EXIT_CODES.items())


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 500 else text[:497] + "..."


def exit_status(exc: BaseException) -> tuple[int, str]:
    """The exit status and the one-line message for an exception that ended a command.

    Bad input is a ``ValueError`` (including :class:`~scalingtheory.parsing.FormulaError`),
    a CSV error or a file the user named that cannot be used; the toolkit's own failures
    (``RuntimeError``, overflow, memory, recursion, any other exception) are status 3.
    """
    import csv

    from .number_text import digits_text, too_many_digits

    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED, "interrupted"
    if too_many_digits(exc):                 # the toolkit's exact arithmetic, not the input (bounded on reading)
        return FAILED, f"failed: {digits_text()}; try parameters with smaller numerators and denominators"
    if isinstance(exc, (ValueError, csv.Error, FileNotFoundError, FileExistsError, IsADirectoryError,
                        NotADirectoryError, PermissionError)) and not isinstance(exc, UnicodeError):
        return BAD_INPUT, f"error: {_reason(exc)}"
    if isinstance(exc, UnicodeError):
        return BAD_INPUT, f"error: text that is not valid UTF-8 ({_reason(exc)})"
    if isinstance(exc, MemoryError):
        return FAILED, "failed: out of memory (MemoryError)"
    if isinstance(exc, RecursionError):
        return FAILED, "failed: expression too deeply nested to evaluate (RecursionError)"
    if isinstance(exc, OverflowError):
        return FAILED, f"failed: a number too large to represent ({_reason(exc)})"
    if isinstance(exc, OSError):
        return FAILED, f"failed: {exc.strerror or _reason(exc)}" + (f": {exc.filename}" if exc.filename else "")
    if isinstance(exc, RuntimeError):
        return FAILED, f"failed: {_reason(exc)}"
    return FAILED, f"failed: internal error ({type(exc).__name__}: {_reason(exc)})"


def _command_names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_"))


def _command(name: str):
    return importlib.import_module(f"{commands.__name__}.{name}")


def _chosen(argv: list[str], names: list[str]) -> str | None:
    """The subcommand named in ``argv``: the first argument that is not an option."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in names else None
    return None


def build_parser(argv: list[str] | None = None) -> tuple[argparse.ArgumentParser, dict]:
    """The argument parser; only the subcommand chosen in ``argv`` is configured (all when None)."""
    parser = commands.ArgumentParser(   # reads --c1 -1e25 as a value (subparsers inherit the class)
        prog="scalingtheory", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Exact exponents, compute-optimal rules, solvers and fits for neural scaling laws.",
        epilog=exit_code_table())
    parser.add_argument("--version", action="version", version=f"scalingtheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {m.NAME: m for m in sorted(map(_command, _command_names()), key=lambda m: m.NAME)}
    chosen = _chosen(argv, list(modules)) if argv is not None else None
    for mod in modules.values():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        if argv is None or mod.NAME == chosen:
            mod.configure(p)
            p.add_argument("--verbose", action="store_true",
                           help="also print the warnings of the libraries used (NumPy, SciPy, SymPy, Dask)")
            p.formatter_class = argparse.RawDescriptionHelpFormatter
            p.epilog = "\n\n".join(filter(None, [p.epilog, exit_code_table()]))
    return parser, modules


def _silence_stdout() -> None:
    """After a broken pipe (output piped into ``head``), discard what is still buffered."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv=None) -> int:
    """Run one command; returns its exit status (see :data:`EXIT_CODES`)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = None
    try:
        parser, modules = build_parser(argv)
        args, extra = parser.parse_known_args(argv)
        if args.command is None:
            parser.print_help()
            return BAD_INPUT
        command, module = args.command, modules[args.command]
        if extra and not getattr(module, "MODEL_PARAMS", False):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.model_args = extra
        with warnings.catch_warnings(record=True) as caught:   # libraries' warnings: off stderr unless --verbose
            warnings.simplefilter("always")
            status = int(module.run(args) or 0)
        sys.stdout.flush()
        _show_warnings(caught, command, getattr(args, "verbose", False))
        return status
    except SystemExit:  # argparse: --help, --version (0) and usage errors (2) end as argparse says
        raise
    except BrokenPipeError:
        _silence_stdout()
        return OK
    except BaseException as exc:  # noqa: BLE001 -- every other ending becomes a status and one line
        return _ending(exc, f"scalingtheory{' ' + command if command else ''}")


def _show_warnings(caught, command: str, verbose: bool) -> None:
    """One line per distinct warning on stderr: the toolkit's own renames always (a user of an old option
    learns its new name), other libraries' warnings only with ``--verbose``."""
    from .renames import RenamedWarning

    shown = [w for w in caught if verbose or issubclass(w.category, RenamedWarning)]
    for text in dict.fromkeys(f"{w.category.__name__}: {' '.join(str(w.message).split())}" for w in shown):
        print(f"scalingtheory {command}: warning: {text[:300]}", file=sys.stderr)


def _ending(exc: BaseException, prog: str) -> int:
    """Print ``exc`` as one line (``prog: error: ...``) on stderr; returns its exit status."""
    status, message = exit_status(exc)
    try:
        print(f"{prog}: {message}", file=sys.stderr)
    except (OSError, ValueError):
        pass
    return status


def run_script(main, argv=None) -> int:
    """Run a script's ``main(argv)`` (the examples) the way a command runs: its status, and any exception
    as one line on stderr with the status of :data:`EXIT_CODES` instead of a traceback.

    >>> run_script(lambda argv: int("x"))
    2
    """
    try:
        return int(main(argv) or 0)
    except SystemExit:  # argparse's usage errors (2), or the script's own ending
        raise
    except BrokenPipeError:
        _silence_stdout()
        return OK
    except BaseException as exc:  # noqa: BLE001 -- every other ending becomes a status and one line
        return _ending(exc, os.path.basename(sys.argv[0]) or "script")


__all__ = ["main", "build_parser", "run_script", "EXIT_CODES", "exit_status", "exit_code_table"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
