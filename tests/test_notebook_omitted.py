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
    for name in THEORY:
        regimes = len(st.optimal(name))
        if fmt == "latex":    # the model is named in each caption; a wide table is split into parts (i/n)
            blocks = [b for b in _latex_blocks(out) if b[0] == name]
            assert {kind for _, kind, _ in blocks} == set(_kind_names(name)), name
            assert all(len(rows) == regimes for _, _, rows in blocks), (name, blocks)
            continue
        rows = [ln for ln in out.splitlines() if ln.startswith((f"| {name} |", f"{name},"))]
        assert len(rows) == regimes * (1 if fmt == "csv" else len(_kind_names(name))), (name, rows)


def _latex_blocks(out: str) -> list[tuple[str, str, list[list[str]]]]:
    """``(model, kind, rows)`` of each LaTeX table: the model and kind read off its caption."""
    blocks = []
    for block in out.split(r"\begin{table}")[1:]:
        kind, model = re.search(r"\\caption\{(Exact exponents|Prefactors) of (.*?)(?: \(\d+/\d+\))?\}", block).groups()
        body = block.split(r"\midrule", 1)[1].split(r"\bottomrule")[0]
        rows = [ln.split(" & ") for ln in body.splitlines() if ln.strip()]
        blocks.append((model.replace(r"\_", "_"), kind, rows))
    return blocks


def _kind_names(name) -> list[str]:
    """The tables a model gets: exponents, and prefactors where it reports any."""
    from scalingtheory.report import tables

    res = list(st.optimal(name))
    return [caption for caption, kind in zip(("Exact exponents", "Prefactors"), ("exponents", "prefactors"))
            if tables.columns(res, kind)]


def test_table_all_is_one_table_per_model(capsys):
    """Per model: its exponents, then its prefactors where it has any (never another model's columns); a wide
    table is split into parts, each with the model's name in its caption."""
    assert main(["table", "--model", "all", "--format", "latex"]) == 0
    out = capsys.readouterr().out
    blocks = out.split(r"\begin{table}")[1:]
    assert {(m, k) for m, k, _ in _latex_blocks(out)} == {(m, k) for m in available() for k in _kind_names(m)}
    for block in blocks:
        spec = re.search(r"\\begin\{tabular\}\{(\w+)\}", block).group(1)
        header = block.split(r"\toprule", 1)[1].split(r"\\", 1)[0]
        assert len(spec) == header.count("&") + 1            # every column is the model's own
        rows = [ln.split(" & ") for ln in block.split(r"\midrule", 1)[1].split(r"\bottomrule")[0].splitlines()
                if ln.strip()]
        assert all(any(row[j].strip(" \\") != "--" for row in rows) for j in range(len(spec)))  # no foreign column