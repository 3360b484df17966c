"""The machine-readable checks: ``DIR/checks.json`` (schema, strict JSON, the same rows as the tables),
every declared check run at quick size ("quick never hides full")."""

import json
import math

import pytest

from scalingtheory.models import available, get_model
from scalingtheory.safe_io import MARKER
from scalingtheory.models.engine import (NOT_RESOLVED_QUICK, RESOURCES, ROUTES, VERDICTS, AgreementRow, Check,
                                         DeclaredModel)

KEYS = ["model", "check", "route", "resource", "params", "theory", "measured", "ci", "deviation", "tolerance",
        "verdict", "reason", "size", "seconds", "seeds"]


@pytest.mark.parametrize("name", [m for m in available() if isinstance(get_model(m), DeclaredModel)])
def test_every_declared_check_names_its_route_resource_and_params(name):
    for check in get_model(name).checks:
        assert check.route in ROUTES and (check.resource is None or check.resource in RESOURCES), check.quantity
        params = check.record_params()
        assert params and json.loads(json.dumps(params, allow_nan=False)) == params, check.quantity


class _Toy(DeclaredModel):
    """A declared model whose checks are known numbers: one resolved, one only at full size, one beyond."""

    name = "toy"
    checks = (Check("a", lambda q: 1.01, 0.05, "rounding", theory=lambda q: 1.0, route="sums", resource="t",
                    params={"beta": "1/2"}),
              Check("b", lambda q: 1.0 if not q else 3.0, 0.05, "finite size", theory=lambda q: 1.0, route="exact",
                    resource="N", resolves_quick=False, seeds=lambda q: range(2 if q else 4)),
              Check("c", lambda q: 2.0, 0.05, "slope", theory=lambda q: 1.0, route="network", caveat="too short"))


def test_quick_runs_every_check_and_says_what_it_cannot_resolve():
    quick, full = _Toy().agreement(quick=True), _Toy().agreement(quick=False)
    assert [r.quantity for r in quick] == [r.quantity for r in full] == ["a", "b", "c"]
    assert [r.verdict for r in quick] == ["within", "not resolved", "beyond"]
    assert [r.verdict for r in full] == ["within", "within", "beyond"]
    assert quick[1].reason == NOT_RESOLVED_QUICK and quick[1].numerics == 3.0   # measured and shown anyway
    assert quick[2].reason == "too short" and quick[0].reason == "rounding"
    assert (quick[1].seeds, full[1].seeds) == ([0, 1], [0, 1, 2, 3])
    assert {r.size for r in quick} == {"quick"} and {r.size for r in full} == {"full"}
    assert all(r.model == "toy" and r.seconds >= 0 for r in quick)


def test_row_json_is_strict_and_complete():
    from scalingtheory.report.report import checks_json

    rows = [AgreementRow("nan", 1.0, math.nan, 0.1, "x", route="exact", size="quick"),
            AgreementRow("r", 0.5, 0.52, 0.05, "y", ci=(0.5, 0.54), route="dmft", resource="C",
                         params={"alpha": 2}, size="full", seconds=0.1234, seeds=[0, 1])]
    data = json.loads(checks_json({"m": rows}))
    assert [list(d) for d in data] == [KEYS, KEYS]
    assert data[0]["measured"] is None and data[0]["deviation"] is None and data[0]["verdict"] == "not resolved"
    assert data[1] == {"model": "", "check": "r", "route": "dmft", "resource": "C", "params": {"alpha": 2},
                       "theory": 0.5, "measured": 0.52, "ci": [0.5, 0.54], "deviation": pytest.approx(0.04),
                       "tolerance": 0.05, "verdict": "within", "reason": "y", "size": "full", "seconds": 0.123,
                       "seeds": [0, 1]}
    with pytest.raises(ValueError, match="route 'guess' is not one of"):
        Check("x", lambda q: 1, 0.1, "why", route="guess")


def _table_rows(md: str) -> list:
    """``(quantity, verdict)`` of every row of the report's agreement tables."""
    out, head = [], None
    for line in md.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells and cells[0] == "quantity" and "verdict" in cells:
            head = cells
        elif cells is None:
            head = None
        elif head and not set(cells[0]) <= set("-: "):
            verdict = cells[head.index("verdict")].strip("*")
            out.append((cells[head.index("route")], next(v for v in VERDICTS if verdict.startswith(v))))
    return out


def test_report_writes_checks_json_from_the_rows_of_its_tables(tmp_path, monkeypatch):
    """One model (bnsl, quick) with the toy model's rows in place of its own, so that every verdict
    appears: checks.json lists exactly the rows of the agreement tables, in order, with their verdicts."""
    from scalingtheory.report import report

    rows = _Toy().agreement(quick=True)
    monkeypatch.setattr(type(get_model("bnsl")), "agreement", lambda self, quick=True: rows)
    monkeypatch.setattr("scalingtheory.plots.write_figures", lambda model, out, quick=False, theory=True: [])
    monkeypatch.setattr(type(get_model("bnsl")), "tables", lambda self, quick=True: [])
    report.build_report(tmp_path / "out", quick=True, models=["bnsl"], workers=1)
    data = json.loads((tmp_path / "out" / "checks.json").read_text())
    assert [list(d) for d in data] == [KEYS] * 3
    assert all(d["model"] == "bnsl" and d["size"] == "quick" and d["verdict"] in VERDICTS for d in data)
    md = (tmp_path / "out" / "report.md").read_text()
    assert _table_rows(md) == [(d["route"], d["verdict"]) for d in data]
    assert "checks.json" in json.loads((tmp_path / "out" / MARKER).read_text())["files"]
