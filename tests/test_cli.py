"""The command line: version, `python -m` equivalence, the JSON contract, errors (exit 2), report safety."""
import json
import subprocess

import pytest

from scalingtheory import __version__
from scalingtheory.cli import main

from cli_runner import cli


def run(*args, process=False):
    return cli(*args, timeout=300, process=process)


def test_version_and_module_equivalence(capsys):
    proc = run("--version", process=True)
    assert proc.returncode == 0 and proc.stdout.strip() == f"scalingtheory {__version__}"
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == proc.stdout.strip()


def test_console_script_is_installed():
    import shutil
    exe = shutil.which("scalingtheory")
    if exe is None:
        pytest.skip("the package is not installed as a console script in this environment")
    proc = subprocess.run([exe, "exponent", "--model", "random_features", "--alpha", "3/2", "--beta", "2/3", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert proc.stdout == run("exponent", "--model", "random_features", "--alpha", "3/2", "--beta", "2/3",
                              "--json").stdout


def test_exponent_json_contract(capsys):
    assert main(["exponent", "--model", "random_features", "--alpha", "3/2", "--beta", "2/3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"model", "params", "regime", "exponents", "compute_optimal", "prefactors", "notes"}
    assert data["model"] == "random_features"
    assert data["params"]["beta"] == {"expr": "2/3", "value": 2 / 3}
    co = data["compute_optimal"]
    assert co["cost"] == "N*t" and set(co["allocation"]) == {"N", "t"}
    for num in [co["loss"], *co["allocation"].values(), *data["exponents"].values()]:
        assert set(num) - {"notes"} == {"expr", "value"} and isinstance(num["value"], float)
        assert all(isinstance(n, str) for n in num.get("notes", []))
    # digest fact 1 (b = 1.5, a = 2 <-> alpha = 3/2, beta = 2/3): t* ~ C^0.6, N* ~ C^0.4, L* ~ C^-0.4
    assert co["allocation"]["t"]["expr"] == "3/5" and co["allocation"]["N"]["expr"] == "2/5"
    assert co["loss"]["expr"] == "2/5" and data["exponents"]["t"]["expr"] == "2/3"


def test_rational_parameters_stay_exact(capsys):
    main(["exponent", "--model", "feature_learning", "--alpha", "2", "--beta", "0.5", "--training", "lazy", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["params"]["beta"]["expr"] == "1/2"
    assert data["compute_optimal"]["loss"]["expr"] == "1/3"   # alpha beta / (alpha + 1)


@pytest.mark.parametrize("args, needle", [
    (["exponent", "--model", "nonsense"], "unknown model 'nonsense'"),
    (["exponent", "--model", "random_features", "--alpha", "1"], "alpha must satisfy alpha > 1"),
    (["exponent", "--model", "random_features", "--alpha", "2", "--beta", "-1"], "beta must satisfy beta > 0"),
    (["exponent", "--model", "random_features", "--beta", "nan"], "beta must be a number"),
    (["exponent", "--model", "random_features", "--beta", "inf"], "beta"),
    (["exponent", "--model", "random_features", "--beta", "abc"], "beta must be a number"),
    (["exponent", "--model", "random_features", "--alpha", "\u0661"], "alpha must be a number"),  # Arabic-Indic 1
    (["exponent", "--model", "random_features", "--alpha", "2", "--beta", "-\u0661"], "beta must be a number"),  # a value, then refused
    (["spectrum", "--dataset", "teacher", "--n-max", "\u0662\u0660\u0660"], "invalid int value"),
    (["spectrum", "--dataset", "teacher", "--bandwidth", "\u0661"], "--bandwidth must be"),
    (["fit", "x.csv", "--law", "chinchilla", "--delta", "\u0661"], "invalid float value"),
    (["fit", "x.csv", "--x", "N", "--y", "loss", "--predict", "1e6,\u0661"], "--predict values must be a finite number > 0, got"),
    (["exponent", "--model", "random_features", "--gamma", "1"], "unknown argument"),
    (["exponent", "--model", "sparse_parity", "--alpha", "0"], "alpha must satisfy alpha > 0"),
    (["verify", "--model", "random_features", "--quantity", "exponents.x", "beta"], "unknown quantity"),
    (["verify", "--model", "random_features", "--quantity", "exponents.t", "beta.__class__"], "Attribute"),
    (["table", "--format", "docx"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(args, needle):
    proc = run(*args)
    assert proc.returncode == 2, proc.stderr
    assert needle in proc.stderr
    assert proc.stdout == ""


def test_verify_exit_codes():
    ok = run("verify", "--model", "feature_learning", "--quantity", "exponents.t", "--regime", "hard",
             "--points", "6", "2*beta/(1+beta)")
    assert ok.returncode == 0 and ok.stdout.startswith("EQUAL"), ok.stderr
    bad = run("verify", "--model", "feature_learning", "--quantity", "exponents.t", "--regime", "hard",
              "--points", "6", "beta")
    assert bad.returncode == 1 and bad.stdout.startswith("NOT EQUAL") and "counterexample" in bad.stdout


def test_table_latex_markdown_csv(capsys):
    assert main(["table", "--model", "feature_learning", "--points", "alpha=2,beta=1/2; alpha=3,beta=3",
                 "--format", "latex"]) == 0
    tex = capsys.readouterr().out
    assert r"\toprule" in tex and r"\frac{1}{3}" not in tex or r"\frac" in tex
    assert main(["table", "--model", "feature_learning", "--points", "alpha=2,beta=1/2", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("model,parameters,regime,")


def test_report_writes_only_into_its_directory(tmp_path):
    out = tmp_path / "rep"
    out.mkdir()
    keep = out / "mine.txt"
    keep.write_text("user data")
    proc = run("report", "--out", str(out), "--quick", "--model", "feature_learning")
    assert proc.returncode == 2 and "--force" in proc.stderr   # a user's directory: refused before computing
    proc = run("report", "--out", str(out), "--quick", "--model", "feature_learning", "--force")
    assert proc.returncode == 0, proc.stderr
    assert keep.read_text() == "user data"
    assert (out / "report.md").exists() and (out / "report.tex").exists()
    assert list((out / "figures").glob("*.png"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]


def test_failed_report_leaves_directory_untouched(tmp_path):
    out = tmp_path / "rep"
    proc = run("report", "--out", str(out), "--model", "nonsense")
    assert proc.returncode == 2 and not out.exists()


def test_query_emergence_times_scale_as_k_to_alpha_plus_one(capsys):
    """`scalingtheory query`: model-specific questions; tau_k ~ k^(alpha+1) for an infinite skill list."""
    values = {}
    for k in (1, 3):
        assert main(["query", "--model", "sparse_parity", "emergence_time", "--skill", str(k),
                     "--alpha", "0.6", "--json"]) == 0
        (name, num), = json.loads(capsys.readouterr().out).items()
        values[k] = num["value"]
    assert values[3] / values[1] == pytest.approx(3 ** 1.6, rel=1e-12)
    assert main(["query", "--model", "sparse_parity", "--list"]) == 0
    assert "emergence_time --skill VALUE" in capsys.readouterr().out
    assert main(["query", "--model", "sparse_parity", "nope"]) == 2
    assert main(["query", "--model", "sparse_parity", "emergence_time", "--skill", "0", "--alpha", "0.6"]) == 2


def test_verify_counts_non_real_values_as_disagreement():
    from scalingtheory.verify import verify
    res = verify("feature_learning", "exponents.t", "2*beta/(1+beta) + sqrt(beta - 1/2) - sqrt(Abs(beta - 1/2))",
                 points=12, regime="hard", alpha=2)
    assert not res.equal and res.counterexample["yours"] == "not real"


ONE_RESOURCE_ONLY = [["--x", "N"], ["--delimiter", ";"], ["--form", "bnsl"], ["--breaks", "1"],
                     ["--criterion", "bic"], ["--max-breaks", "2"], ["--train-until", "1e6"], ["--calibrate"],
                     ["--backtest", "0"], ["--space", "log1p"], ["--up-bound", "1"]]
LAW_ONLY = [["--cost", "6*N*D"], ["--loss", "mse"], ["--delta", "0.01"], ["--group", "run"],
            ["--at-compute", "1e24"]]


@pytest.mark.parametrize("kind, option", [("law", o) for o in ONE_RESOURCE_ONLY] + [("x", o) for o in LAW_ONLY])
def test_fit_refuses_options_the_other_kind_of_fit_would_ignore(tmp_path, capsys, kind, option):
    """Each option is refused (exit 2, one line naming it) before the file is even read (it does not exist),
    also at its default value; the same option with its own kind of fit gets past this check."""
    missing = str(tmp_path / "runs.csv")
    base = ["fit", missing, "--y", "loss"] + (["--law", "E + A*N**-a + B*D**-b"] if kind == "law" else ["--x", "N"])
    assert main(base + option) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and option[0] in err and ("--law" in err) and "no such file" not in err
    own = ["fit", missing, "--y", "loss"] + (["--x", "N"] if kind == "law" else ["--law", "E + A*N**-a + B*D**-b"])
    assert main(own + ([] if option[0] == "--x" else option)) == 2     # the missing file (or --at-compute
    assert "remove them" not in capsys.readouterr().err                 # without --cost), past the check


def test_fit_names_every_ignored_option_at_once(tmp_path):
    proc = run("fit", str(tmp_path / "runs.csv"), "--law", "E + A*N**-a", "--y", "loss", "--form", "m2",
               "--train-until", "5", "--backtest", "3")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stdout == ""
    assert "--form, --train-until, --backtest: not used with --law" in proc.stderr
