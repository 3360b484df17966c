"""``exponent --json`` still answers as it did before the model layer became declarations (issue 14).

The golden files (``tests/golden/<model>.json``, written by ``python -m scalingtheory.golden
--write`` at each model's declared ``golden_points()``; the first four models' before the rewrite) hold
the CLI's JSON at every table point of every model and symbolically per regime. Current output must
equal them after the documented renames, and nothing else:

* the regime choice is ``regime`` in every model (feature_learning's ``--task`` stays an alias);
* time is ``t`` in every model's JSON (sparse_parity's ``T``: exponents, allocation, prefactors, cost);
* added: ``compute_optimal.prefactors`` (issue 14, item 4) -- present where the model reports them;
* added: ``notes`` of a quantity (``{"expr", "value", "notes"}``, ``Quantity.to_json``) -- present where
  the quantity carries notes (e.g. the dropped terms of a compute-optimal exponent, a 30-digit value);
* the (a, b) notation of Bordelon et al. (2024) prints ``a_RF``, ``b_RF`` (random_features' note
  "(a, b) notation: ..."), so that BNSL's ``a``, ``b`` (Caballero et al., Eq. 1) are the only symbols
  printed ``a``, ``b`` (one registry, scalingtheory.symbols).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scalingtheory.golden import invocation, run

GOLDEN = Path(__file__).resolve().parent / "golden"

#: documented renames: parameter names in argv/JSON params, resource keys in JSON
PARAM_RENAMES = {"task": "regime"}
RESOURCE_RENAMES = {"T": "t"}
COST_RENAMES = {"N*T": "N*t"}
#: symbols renamed in the notes that print them: {note prefix: {old name: new name}}
NOTE_SYMBOL_RENAMES = {"(a, b) notation: ": {"a": "a_RF", "b": "b_RF"}}
#: symbols renamed in every note of a model: {model: {old name: new name}} (sparse parity's time T is t)
MODEL_NOTE_RENAMES = {"sparse_parity": {"T": "t", "A_T": "A_t"}}


def renamed_note(note: str) -> str:
    for prefix, names in NOTE_SYMBOL_RENAMES.items():
        if note.startswith(prefix):
            body = re.sub(r"\b(" + "|".join(names) + r")\b", lambda m: names[m.group(1)], note[len(prefix):])
            return prefix + body
    return note


def renamed(old: dict) -> dict:
    """JSON with the documented renames applied (to both sides, so only other changes show)."""
    new = json.loads(json.dumps(old))
    new["params"] = {PARAM_RENAMES.get(k, k): v for k, v in new["params"].items()}
    rename = lambda d: {RESOURCE_RENAMES.get(k, k): v for k, v in d.items()}  # noqa: E731
    new["exponents"] = rename(new["exponents"])
    new["prefactors"] = rename(new["prefactors"])
    words = MODEL_NOTE_RENAMES.get(new["model"], {})
    new["notes"] = [re.sub(r"\b(" + "|".join(words) + r")\b", lambda m: words[m.group(1)], renamed_note(n))
                    if words else renamed_note(n) for n in new["notes"]]
    co = new["compute_optimal"]
    if co is not None:
        co["allocation"] = rename(co["allocation"])
        co["cost"] = COST_RENAMES.get(co["cost"], co["cost"])
    return new


def current_argv(model: str, argv: list[str]) -> list[str]:
    """``argv`` spelled with the current parameter names (the old ones stay accepted aliases)."""
    from scalingtheory.models import get_model

    names = {p.name for p in get_model(model).parameters}
    new = lambda a: PARAM_RENAMES.get(a[2:]) if a.startswith("--") else None  # noqa: E731
    return [f"--{new(a)}" if new(a) in names else a for a in argv]


def _without_quantity_notes(node):
    """``node`` with the ``notes`` of every quantity (a dict with ``expr``) left out."""
    if isinstance(node, dict):
        return {k: _without_quantity_notes(v) for k, v in node.items() if not (k == "notes" and "expr" in node)}
    return [_without_quantity_notes(v) for v in node] if isinstance(node, list) else node


def without_additions(current: dict) -> dict:
    """Drop the documented additions and apply the renames before comparing."""
    out = _without_quantity_notes(json.loads(json.dumps(current)))
    if out.get("compute_optimal"):
        out["compute_optimal"].pop("prefactors", None)
    return renamed(out)


CASES = [(path.stem, i, case) for path in sorted(GOLDEN.glob("*.json"))
         for i, case in enumerate(json.loads(path.read_text()))]


#: the files written before the renames and additions above (issue 14); every later file must equal
#: today's output exactly
BEFORE_ISSUE_14 = frozenset({"bnsl", "feature_learning", "random_features", "sparse_parity"})


@pytest.mark.parametrize("model,index,case", CASES, ids=[f"{m}-{i}" for m, i, _ in CASES])
def test_exponent_json_matches_golden(model, index, case):
    if model not in BEFORE_ISSUE_14:
        assert run(case["argv"]) == case["json"]
    else:
        assert without_additions(run(current_argv(model, case["argv"]))) == renamed(case["json"])


def test_task_is_an_accepted_alias_of_regime():
    case = next(c for m, _, c in CASES if m == "feature_learning" and "--task" in c["argv"])
    assert without_additions(run(case["argv"])) == renamed(case["json"])


def test_golden_files_cover_every_model():
    from scalingtheory.models import available

    assert sorted({m for m, _, _ in CASES}) == available()


@pytest.mark.parametrize("model", sorted({m for m, _, _ in CASES}))
def test_golden_files_hold_the_models_declared_points(model):
    """Each file's invocations are its model's ``golden_points()`` (spelled with today's names)."""
    from scalingtheory.models import get_model

    argvs = [current_argv(model, c["argv"]) for m, _, c in CASES if m == model]
    assert argvs == [invocation(model, pt) for pt in get_model(model).golden_points()]
