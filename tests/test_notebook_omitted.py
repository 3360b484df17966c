"""One rule for omitted parameters in `models`, `--help`, the CLI and the API (issue 15, item 3)."""
import json
import re

import pytest
import sympy as sp

import scalingtheory as st
from scalingtheory.cli import main
from scalingtheory.models import available, get_model

THEORY = tuple(available())


def test_models_shows_what_an_omitted_parameter_becomes(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "default" not in out and "Omitted parameters:" in out
    for name in available():
        model = get_model(name)
        given = model.validate()
        for p in model.parameters:
            line = next(ln for ln in out.splitlines() if ln.startswith(f"  --{p.name} ")
                        and ln in out.split(f"{name}:", 1)[1])
            shown = re.search(r"omitted: (.*?)\. ", line).group(1)
            value = given[p.name]
            if isinstance(value, str):
                assert shown == value
            elif value == p.symbol:
                assert shown == "symbolic"                      # e.g. random_features --beta
            else:
                assert shown.startswith(sp.sstr(value))         # e.g. sparse_parity --r 1/100
    assert st.models()["sparse_parity"]["r"].endswith("omitted: 1/100")
    assert st.models()["random_features"]["beta"].endswith("omitted: symbolic")


@pytest.mark.parametrize("name", THEORY)
def test_exponent_without_parameters_answers_per_regime(name, capsys):
    assert main(["exponent", "--model", name, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    data = data if isinstance(data, list) else [data]
    expected = st.optimal(name).to_json()
    assert data == json.loads(json.dumps(expected))
    if name in ("random_features", "feature_learning"):
        assert [d["regime"] for d in data] == ["hard", "easy", "super-easy"]
    for d in data:   # symbolic: the exponents are closed forms in the parameters
        assert d["exponents"] and all(v["expr"] for v in d["exponents"].values())
    assert main(["exponent", "--model", name]) == 0
    text = capsys.readouterr().out
    assert text.count("regime: ") == len(data)


def test_random_features_symbolic_hard_regime_is_the_closed_form(capsys):
    assert main(["exponent", "--model", "random_features", "--json"]) == 0
    hard = json.loads(capsys.readouterr().out)[0]
    alpha, beta = sp.symbols("alpha beta", positive=True)
    loss = sp.sympify(hard["compute_optimal"]["loss"]["expr"], locals={"alpha": alpha, "beta": beta})
    assert sp.simplify(loss - alpha * beta / (alpha + 1)) == 0   # digest: L* ~ C^-(alpha beta/(alpha+1)), beta < 1
    assert hard["exponents"]["t"]["expr"] == "beta"


def test_model_parameter_help_states_the_same_rule():
    from scalingtheory.commands._model_args import model_parser

    helptext = " ".join(model_parser(get_model("sparse_parity"), "x").format_help().split())
    assert "omitted: 1/100" in helptext and "omitted: symbolic" in helptext and "default" not in helptext


@pytest.mark.parametrize("fmt", ["markdown", "latex", "csv"])
def test_symbolic_table_covers_every_model_one_row_per_regime(fmt, capsys):
    assert main(["table", "--symbolic", "--format", fmt]) == 0
    captured = capsys.readouterr()
    assert "skipped" not in captured.err
    out = captured.out
    tables_of = {name: 1 if fmt == "csv" else _kinds(name) for name in THEORY}
    for name in THEORY:
        tex = name.replace("_", r"\_")
        rows = [ln for ln in out.splitlines() if ln.startswith((f"| {name} |", f"{name},", f"{tex} &"))]
        assert len(rows) == len(st.optimal(name)) * tables_of[name], (name, rows)
    if fmt == "latex":
        assert out.count(r"\begin{table}") == sum(tables_of.values())


def _kinds(name) -> int:
    """How many tables a model gets: exponents, and prefactors where it reports any."""
    from scalingtheory.report import tables

    res = list(st.optimal(name))
    return sum(bool(tables.columns(res, kind)) for kind in tables.KINDS)


def test_table_all_is_one_table_per_model(capsys):
    """Per model: its exponents, then its prefactors where it has any (never another model's columns)."""
    assert main(["table", "--model", "all", "--format", "latex"]) == 0
    out = capsys.readouterr().out
    blocks = out.split(r"\begin{table}")[1:]
    assert len(blocks) == sum(_kinds(name) for name in available())
    for block in blocks:
        spec = re.search(r"\\begin\{tabular\}\{(\w+)\}", block).group(1)
        header = block.split(r"\toprule", 1)[1].split(r"\\", 1)[0]
        assert len(spec) == header.count("&") + 1            # every column is the model's own
        rows = [ln.split(" & ") for ln in block.split(r"\midrule", 1)[1].split(r"\bottomrule")[0].splitlines()
                if ln.strip()]
        assert all(any(row[j].strip(" \\") != "--" for row in rows) for j in range(len(spec)))  # no foreign column
        model = re.search(r"\\caption\{(?:Exact exponents|Prefactors) of (.*?)\}", block).group(1).replace(r"\_", "_")
        assert model in available()
