"""Golden files of the models: ``scalingtheory exponent --model M ... --json`` at each of the
model's :meth:`~scalingtheory.models.base.Model.golden_points`, saved as ``<dir>/<model>.json``
(the reference of ``tests/test_golden.py``: later output must equal it, after documented renames).

Run from the repository root after adding a model::

    python -m scalingtheory.golden --write

It writes the file of every model that has none and leaves existing files as they are: they hold
the JSON as it was when they were written (the four first models': before the model layer became
declarations, issue 14). ``--force MODEL`` rewrites one, only for a deliberate, documented change of
the JSON contract.

>>> invocation("random_features", {"alpha": "2", "beta": "3/2"})
['exponent', '--model', 'random_features', '--json', '--alpha', '2', '--beta', '3/2']
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from pathlib import Path

#: where the golden files live, relative to the repository root
DEFAULT_DIR = Path("tests") / "golden"


def invocation(model: str, params: dict) -> list[str]:
    """``exponent`` argv for ``params`` (values as the exact strings a user would type)."""
    argv = ["exponent", "--model", model, "--json"]
    for k, v in params.items():
        argv += [f"--{k}", str(v)]
    return argv


def run(argv: list[str]) -> dict:
    """The JSON printed by the CLI for ``argv`` (run in-process; exit status must be 0)."""
    from .cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(argv)
    if status != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {status}")
    return json.loads(out.getvalue())


def records(model: str) -> list[dict]:
    """Every golden case of ``model``: ``{"argv", "json", "kind", "params"}``."""
    from .models import get_model

    m = get_model(model)
    n_table = len(m.table_points())
    return [{"argv": invocation(model, pt), "json": run(invocation(model, pt)),
             "kind": "table" if i < n_table else "symbolic", "params": pt}
            for i, pt in enumerate(m.golden_points())]


def write(directory: Path, force: tuple = ()) -> list[Path]:
    """Write the golden file of each model without one (and of the models in ``force``)."""
    from .models import available
    from .safe_io import atomic_write

    directory = Path(directory)
    written = []
    for model in available():
        path = directory / f"{model}.json"
        if path.exists() and model not in force:
            continue
        text = json.dumps(records(model), indent=1, sort_keys=True) + "\n"
        atomic_write(path, lambda tmp: Path(tmp).write_text(text), replace=model in force)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    from .models import available

    parser = argparse.ArgumentParser(prog="python -m scalingtheory.golden", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the golden file of every model without one")
    parser.add_argument("--force", action="append", default=[], metavar="MODEL", choices=available(),
                        help="also rewrite this model's file (a deliberate change of the JSON contract)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"folder of the files (default {DEFAULT_DIR})")
    args = parser.parse_args(argv)
    if not args.write:
        missing = [m for m in available() if not (args.dir / f"{m}.json").exists()]
        print(f"models without a golden file in {args.dir}: {', '.join(missing) or 'none'} (--write writes them)")
        return 1 if missing else 0
    for path in write(args.dir, tuple(args.force)):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
