"""One contract over every registered model (issue 14, item 5).

Every model: analyzes at its table points and symbolically; its JSON has the contract's shape and
reads back through ``models.result_from_json``; every quantity path is accepted by ``verify``; the
declaration is consistent (each regime's representative point classifies back to it, each check
states a tolerance and why; a query list exists).
"""
from __future__ import annotations

import json

import pytest
import sympy as sp

from scalingtheory.models import available, get_model, result_from_json
from scalingtheory.models.engine import AgreementRow, Check, DeclaredModel, _row

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
        assert result_from_json(js).to_json() == r.to_json()
    numeric = next((r for r in res if any(q.value is not None for q in r.quantities().values())), None)
    if numeric is not None:
        js = numeric.to_json()
        path, q = next((k, v) for k, v in js["exponents"].items() if v["value"])
        js["exponents"][path] = {**q, "value": q["value"] * 1.01}
        with pytest.raises(ValueError, match="differs"):
            result_from_json(js)


@pytest.mark.parametrize("edit, message", [
    (lambda js: {**js, "params": [1, 2]}, "must map parameter names"),
    (lambda js: {**js, "params": {"alpha": 5}}, "must be a choice"),
    (lambda js: {**js, "params": {"alpha": {"expr": "__import__('os')"}}}, "not allowed"),
    (lambda js: {**js, "exponents": 3}, "differs"),
    (lambda js: {**js, "exponents": {"t": {"expr": "1/3"}}}, "exponents.t.expr"),
    (lambda js: {**js, "exponents": {"Z": {"expr": "1"}}}, "not in the derived result"),
    (lambda js: {**js, "compute_optimal": None}, "compute_optimal"),
    (lambda js: {**js, "exponents": {"t": {"expr": "1/2", "value": "0.5"}}}, "not a number"),
    (lambda js: {**js, "regime": "easy"}, "regime"),
])
def test_from_json_refuses_malformed_or_inconsistent_json(edit, message):
    """A hand-edited or malformed file is a ValueError naming what is wrong, never another exception."""
    js = get_model("random_features").analyze(alpha="3/2", beta="1/2").to_json()
    with pytest.raises(ValueError, match=message):
        result_from_json(edit(js))


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


def test_models_are_the_modules_defining_model():
    """Discovery (no registry): each model is named as its module; the support modules define no model."""
    import importlib

    from scalingtheory.models import SUPPORT

    for name in MODELS:
        assert get_model(name).name == name == type(get_model(name)).__module__.rsplit(".", 1)[1]
    for name in SUPPORT:
        assert not hasattr(importlib.import_module(f"scalingtheory.models.{name}"), "MODEL"), name


@pytest.mark.parametrize("name", [m for m in MODELS if isinstance(get_model(m), DeclaredModel)])
def test_declaration_is_consistent(name):
    model = get_model(name)
    regime = next((p for p in model.parameters if p.name == "regime"), None)
    if regime is not None:   # the regime choice offers exactly the declared regimes
        assert regime.choices == ("auto", *(spec.name for spec in model.regimes)), regime.choices
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


@pytest.mark.parametrize("ci, passed", [((0.92, 0.96), True), ((0.935, 0.945), False)])
def test_sampled_check_accepts_its_ci_half_width_plus_the_allowance(ci, passed):
    """|mean - theory| = 0.06 against a CI half-width of 0.02 (0.005) plus a 0.05 allowance."""
    check = Check("L", lambda q: 0.94, 0.05, "finite size", theory=lambda q: 1.0, interval=lambda q: ci)
    row = _row(check, 1.0, True)
    assert row.tolerance == pytest.approx((ci[1] - ci[0]) / 2 + 0.05) and row.passed is passed
    assert row.ci == ci and f"[{ci[0]:.4g}, {ci[1]:.4g}]" in row.why
    assert json.loads(json.dumps(row.to_json(), allow_nan=False))["ci"] == list(ci)


def _prefactor_points():
    """``(model, point, path)``: a compute-optimal prefactor path at each table point reporting them,
    rotating over the paths so that each is verified somewhere."""
    out = []
    for name in MODELS:
        model = get_model(name)
        for i, point in enumerate(model.table_points()):
            co = model.analyze(**point).compute_optimal
            keys = sorted(co.prefactors) if co is not None else []
            if keys:
                out.append((name, point, f"compute_optimal.prefactors.{keys[i % len(keys)]}"))
    return out


PREFACTOR_POINTS = _prefactor_points()


def test_prefactor_points_are_found():
    assert {m for m, _, _ in PREFACTOR_POINTS} >= {"random_features"}
    assert {p.rsplit(".", 1)[1] for _, _, p in PREFACTOR_POINTS} == {"N", "t", "L"}


@pytest.mark.parametrize("name, point, path", PREFACTOR_POINTS, ids=[f"{m}-{p}" for m, _, p in PREFACTOR_POINTS])
def test_compute_optimal_prefactors_are_reachable(name, point, path):
    """``compute_optimal.prefactors.*`` through quantities(), to_json and verify (issue 14, item 4)."""
    from scalingtheory.verify import verify

    model = get_model(name)
    r = model.analyze(**point)
    paths = [p for p in r.quantities() if p.startswith("compute_optimal.prefactors.")]
    assert set(r.to_json()["compute_optimal"]["prefactors"]) == {p.rsplit(".", 1)[1] for p in paths}
    assert r[path].value > 0 and result_from_json(r.to_json())[path].expr == r[path].expr
    given = {k: v for k, v in point.items() if k not in model.derived_parameters}
    exact = sp.sstr(r[path].expr)
    assert verify(name, path, exact, **given).equal
    assert not verify(name, path, f"1.001*({exact})", **given).equal
