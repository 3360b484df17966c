"""One contract over every registered model (issue 14, item 5).

Every model: analyzes at its table points and symbolically; its JSON has the contract's shape and
reads back through ``ModelResult.from_json``; every quantity path is accepted by ``verify``; the
declaration is consistent (each regime's representative point classifies back to it, each check
states a tolerance and why; a query list exists).
"""
from __future__ import annotations

import json

import pytest
import sympy as sp

from scalingtheory.models import available, get_model
from scalingtheory.models.engine import AgreementRow, DeclaredModel
from scalingtheory.results import ModelResult

MODELS = available()
KEYS = {"model", "params", "regime", "exponents", "compute_optimal", "prefactors", "notes"}
RESOURCES = {"t", "N", "P", "D", "C", "x", "x_small"}


def _symbolic_points(model) -> list[dict]:
    if isinstance(model, DeclaredModel) and any(p.name == "regime" for p in model.parameters):
        return [{"regime": spec.name} for spec in model.regimes]
    return [{}]


@pytest.fixture(scope="module", params=MODELS)
def results(request):
    model = get_model(request.param)
    points = model.table_points() + _symbolic_points(model)
    return model, [model.analyze(**pt) for pt in points]


def test_json_shape_and_vocabulary(results):
    model, res = results
    for r in res:
        js = json.loads(json.dumps(r.to_json(), allow_nan=False))
        assert set(js) == KEYS and js["model"] == model.name
        assert set(js["exponents"]) <= RESOURCES, js["exponents"]  # time is t in every model
        assert "T" not in js["prefactors"] and "task" not in js["params"]
        for q in js["exponents"].values():
            assert set(q) >= {"expr", "value"}
        if js["compute_optimal"] is not None:
            assert set(js["compute_optimal"]) == {"cost", "loss", "allocation", "prefactors"}


def test_from_json_round_trip_and_refuses_edited_values(results):
    model, res = results
    for r in res:
        js = json.loads(json.dumps(r.to_json()))
        assert ModelResult.from_json(js).to_json() == r.to_json()
    numeric = next((r for r in res if any(q.value is not None for q in r.quantities().values())), None)
    if numeric is not None:
        js = numeric.to_json()
        path, q = next((k, v) for k, v in js["exponents"].items() if v["value"])
        js["exponents"][path] = {**q, "value": q["value"] * 1.01}
        with pytest.raises(ValueError, match="differs"):
            ModelResult.from_json(js)


def test_every_quantity_path_is_accepted_by_verify(results):
    from scalingtheory.verify import verify

    model, res = results
    r = res[0]
    given = {k: v for k, v in r.params.items() if k not in model.derived_parameters}
    for path, q in r.quantities().items():
        if q.value is None or not q.expr.is_Rational:
            continue  # verify compares formulas; floats and transcendental constants are checked elsewhere
        verdict = verify(model.name, path, sp.sstr(q.expr), **given)
        assert verdict.equal, (path, verdict)


def test_table_rows_and_queries(results):
    from scalingtheory.report import tables

    model, res = results
    assert tables.to_markdown(res[: len(model.table_points())]).count("\n") >= len(model.table_points())
    assert isinstance(model.queries, tuple)
    for name in model.queries:
        assert callable(getattr(model, name))


@pytest.mark.parametrize("name", [m for m in MODELS if isinstance(get_model(m), DeclaredModel)])
def test_declaration_is_consistent(name):
    model = get_model(name)
    for spec in model.regimes:
        point = model.representative(spec.name)
        assert model.classify(**{k: v for k, v in point.items() if k not in model.derived_parameters}) == spec.name
        assert spec.description
    for term in model.terms:
        assert term.label and term.powers and term.equation, term
    for check in model.checks:
        assert 0 < check.tolerance < 1 and check.why, check
        assert (check.path is None) != (check.theory is None), check


def test_agreement_row_computes_the_deviation_once():
    row = AgreementRow("r", theory=0.5, numerics=0.52, tolerance=0.05, why="slope over 1.5 decades")
    assert row.rel_dev == pytest.approx(0.04) and row.passed and row["rel_dev"] == row.rel_dev
    assert not AgreementRow("r", 0.5, 0.6, 0.05, "x").passed


def test_compute_optimal_prefactors_are_reachable():
    """``compute_optimal.prefactors.*`` through quantities(), to_json and verify (issue 14, item 4)."""
    from scalingtheory.verify import verify

    r = get_model("random_features").analyze(alpha="3/2", beta="1/2")
    paths = [p for p in r.quantities() if p.startswith("compute_optimal.prefactors.")]
    assert {"compute_optimal.prefactors.N", "compute_optimal.prefactors.t", "compute_optimal.prefactors.L"} <= set(paths)
    assert set(r.to_json()["compute_optimal"]["prefactors"]) == {p.rsplit(".", 1)[1] for p in paths}
    exact = sp.sstr(r["compute_optimal.prefactors.N"].expr)
    assert verify("random_features", "compute_optimal.prefactors.N", exact, alpha="3/2", beta="1/2").equal
    assert not verify("random_features", "compute_optimal.prefactors.N", f"1.001*{exact}",
                      alpha="3/2", beta="1/2").equal
