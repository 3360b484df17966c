"""Save ``scalingtheory exponent --model M ... --json`` at every table point of every model and
symbolically per regime into ``tests/golden/<model>.json`` (the reference of ``test_golden.py``).

Run from the repository root: ``python tests/golden/make_golden.py``. The golden files were
written before the model layer was rewritten as declarations (issue 14); regenerate them only
for a deliberate, documented change of the JSON contract.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: symbolic invocations per model (parameters omitted are symbolic); the regime choice as spelled
#: when the golden files were written (feature_learning's ``--task`` is kept as an alias)
SYMBOLIC = {
    "random_features": [{"regime": r} for r in ("hard", "easy", "super-easy")],
    "feature_learning": [{"task": r, "training": tr, "optimizer": op} for r in ("hard", "easy", "super-easy")
                         for tr in ("lazy", "rich") for op in ("sgd", "gf")],
    "sparse_parity": [{}],
    "bnsl": [{}],
}


def invocation(model: str, params: dict) -> list[str]:
    """``exponent`` argv for ``params`` (values as the exact strings a user would type)."""
    argv = ["exponent", "--model", model, "--json"]
    for k, v in params.items():
        argv += [f"--{k}", str(v)]
    return argv


def run(argv: list[str]) -> dict:
    """The JSON printed by the CLI for ``argv`` (run in-process; exit status must be 0)."""
    from scalingtheory.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(argv)
    if status != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {status}")
    return json.loads(out.getvalue())


def cases(model: str) -> list[dict]:
    """Every golden case of ``model``: its table points, then the symbolic invocations."""
    from scalingtheory.models import get_model

    points = [{k: str(v) for k, v in pt.items()} for pt in get_model(model).table_points()]
    return [{"kind": "table", "params": pt} for pt in points] + \
           [{"kind": "symbolic", "params": pt} for pt in SYMBOLIC[model]]


def main() -> int:
    for model in SYMBOLIC:
        records = [{**case, "argv": invocation(model, case["params"]), "json": run(invocation(model, case["params"]))}
                   for case in cases(model)]
        (HERE / f"{model}.json").write_text(json.dumps(records, indent=1, sort_keys=True) + "\n")
        print(f"{model}: {len(records)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
