"""``scalingtheory spectrum``: the loop on digits and on user files; bad input exits 2 in one line."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scalingtheory.verdict import VERDICTS

ROOT = Path(__file__).resolve().parents[1]
SMALL = ("--n-max", "500", "--bootstrap", "4", "--repeats", "3")


def cli(*args, cwd=None, prelude=""):
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    code = f"{prelude}\nimport sys\nfrom scalingtheory.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, "spectrum", *args], capture_output=True, text=True,
                          timeout=300, env=env, cwd=cwd)


def strict(text):
    def refuse(name):
        raise AssertionError(f"non-strict JSON constant {name}")
    return json.loads(text, parse_constant=refuse)


def test_digits_json_contract_and_plot(tmp_path):
    """The packaged digits need no scikit-learn (every import of it fails here)."""
    png = tmp_path / "digits.png"
    proc = cli("--dataset", "digits", *SMALL, "--json", "--plot", str(png),
               prelude="import sys\nsys.modules['sklearn'] = None")
    assert proc.returncode == 0, proc.stderr
    out = strict(proc.stdout)
    assert {"dataset", "kernel", "n", "alpha", "beta", "predicted", "measured", "verdicts", "notes"} <= set(out)
    assert out["dataset"] == "digits" and out["kernel"] == "rbf" and out["n"] == 500
    assert {"value", "lo", "hi", "range"} <= set(out["alpha"]) and {"value", "lo", "hi", "range"} <= set(out["beta"])
    assert {"P", "P_noisy", "N", "t", "C"} <= set(out["predicted"])
    assert {"value", "lo", "hi"} <= set(out["predicted"]["P"])
    assert set(out["measured"]) == {"P", "N"} and {"value", "lo", "hi", "range"} <= set(out["measured"]["P"])
    assert {v["verdict"] for v in out["verdicts"].values()} <= set(VERDICTS)
    assert png.stat().st_size > 10_000 and list(tmp_path.iterdir()) == [png]


def test_user_csv_and_npy(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((150, 3))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    csv = tmp_path / "data.csv"
    csv.write_text("a,b,c,label\n" + "\n".join(f"{r[0]},{r[1]},{r[2]},{c}" for r, c in zip(X, y)))
    proc = cli(str(csv), "--y", "label", "--onehot", "--kernel", "laplace", "--bootstrap", "3", "--repeats", "2")
    assert proc.returncode == 0, proc.stderr
    assert "data.csv" in proc.stdout and "r_P" in proc.stdout
    npy = tmp_path / "data.npy"
    np.save(npy, np.column_stack([X, np.sin(X[:, 0])]))
    proc = cli(str(npy), "--y", "-1", "--json", "--bootstrap", "3", "--repeats", "2")
    out = strict(proc.stdout)     # 150 points of sin(x0): beta < 0 is outside the models, nothing predicted: exit 3
    assert out["dataset"] == "data.npy" and proc.returncode == (0 if out["verdicts"] else 3), proc.stderr


def _csv(tmp_path, rows):
    path = tmp_path / f"d{len(list(tmp_path.iterdir()))}.csv"
    path.write_text("x1,x2,y\n" + "\n".join(",".join(map(str, r)) for r in rows))
    return str(path)


@pytest.mark.parametrize("case, message", [
    ("few", "at least 100 samples"),
    ("constant", "constant"),
    ("nan", "column 'x2' must be finite; data row 61 has 'nan'"),
    ("latin1", "not UTF-8"),
    ("text", "numeric"),
    ("column", "no column"),
    ("both", "either FILE"),
    ("neither", "either FILE"),
    ("no_y", "--y"),
    ("n_max", "n_max"),
    ("bandwidth", "bandwidth"),
    ("plot_ext", ".png"),
    ("missing", "no such file"),
])
def test_bad_input_exits_2_in_one_line(tmp_path, case, message):
    rng = np.random.default_rng(1)
    good = [(a, b, a * b) for a, b in rng.standard_normal((120, 2))]
    args = {
        "few": [_csv(tmp_path, good[:40]), "--y", "y"],
        "constant": [_csv(tmp_path, [(a, b, 1.0) for a, b, _ in good]), "--y", "y"],
        "nan": [_csv(tmp_path, good[:60] + [(0.1, float("nan"), 0.2)] + good[60:]), "--y", "y"],
        "text": [_csv(tmp_path, good[:60] + [("a", 1, 2)] + good[60:]), "--y", "y"],
        "column": [_csv(tmp_path, good), "--y", "label"],
        "both": [_csv(tmp_path, good), "--y", "y", "--dataset", "teacher"],
        "neither": [],
        "no_y": [_csv(tmp_path, good)],
        "n_max": ["--dataset", "teacher", "--n-max", "1000000"],
        "bandwidth": [_csv(tmp_path, good), "--y", "y", "--bandwidth", "wide"],
        "plot_ext": [_csv(tmp_path, good), "--y", "y", "--plot", str(tmp_path / "p.txt")],
        "missing": [str(tmp_path / "nope.csv"), "--y", "y"],
        "latin1": [_latin1(tmp_path, good), "--y", "y"],
    }[case]
    proc = cli(*args)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def _latin1(tmp_path, rows):
    path = tmp_path / "latin1.csv"
    path.write_bytes(("x1,x2,y\u00df\n" + "\n".join(",".join(map(str, r)) for r in rows)).encode("latin-1"))
    return str(path)


def test_user_csv_is_read_by_the_project_reader(tmp_path):
    """BOM, CRLF and ';' as a spreadsheet writes them (the target first, so a kept BOM would hide it);
    non-finite values refused by column and row, for .npy too; the one size limit of datafile."""
    from scalingtheory import datafile
    from scalingtheory.spectrum.datasets import load_file
    rng = np.random.default_rng(2)
    X = rng.standard_normal((5, 2))
    lines = ["y; a; b"] + [f"{i % 2}; {float(a)!r}; {float(b)!r}" for i, (a, b) in enumerate(X)]
    path = tmp_path / "sheet.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    Xr, Y, info = load_file(path, "y", onehot=True)
    assert np.array_equal(Xr, X) and Y.tolist() == [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]]
    assert info == {"name": "sheet.csv", "target": "y"}
    path.write_text("a,b,y\n1,2,3\n4,inf,6\n")
    with pytest.raises(ValueError, match="column 'b' must be finite; data row 2 has 'inf'"):
        load_file(path, "y")
    npy = tmp_path / "a.npy"
    np.save(npy, np.array([[1.0, 2.0], [np.nan, 3.0]]))
    with pytest.raises(ValueError, match="column '0' must be finite; data row 2"):
        load_file(npy, "1")
    path.write_text("a,y\n" + "1,2\n" * 50)
    for name in (path, npy):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(datafile, "MAX_BYTES", 100)
            with pytest.raises(ValueError, match=f"{name.name} is larger than"):
                load_file(name, "y" if name == path else "1")


def test_plot_is_never_written_through_a_symlink(tmp_path):
    mine = tmp_path / "mine.png"
    mine.write_bytes(b"user data")
    (tmp_path / "link.png").symlink_to(mine)
    proc = cli("--dataset", "teacher", "--plot", str(tmp_path / "link.png"))
    assert proc.returncode == 2 and "symlink" in proc.stderr
    assert mine.read_bytes() == b"user data" and sorted(p.name for p in tmp_path.iterdir()) == ["link.png", "mine.png"]


@pytest.mark.slow
def test_digits_default_loop():
    """The documented command: all 1797 digits, RBF, default bootstrap and repeats."""
    proc = cli("--dataset", "digits", "--json")
    assert proc.returncode == 0, proc.stderr
    out = strict(proc.stdout)
    assert out["n"] == 1797 and set(out["verdicts"]) == {"P", "N"}


def test_flat_spectrum_exits_3_with_beta_null(tmp_path):
    """--bandwidth 1e-30 makes the RBF Gram matrix the identity (a flat spectrum): alpha's interval
    reaches 0, so beta is not identified: null in JSON, a note in the text, exit 3 (could not decide)."""
    rng = np.random.default_rng(0)
    rows = [(a, b, a + 0.1 * c) for a, b, c in rng.standard_normal((150, 3))]
    path = _csv(tmp_path, rows)
    proc = cli(path, "--y", "y", "--bandwidth", "1e-30", "--json", "--bootstrap", "3", "--repeats", "2")
    assert proc.returncode == 3, proc.stderr
    out = strict(proc.stdout)
    assert out["beta"] is None and out["predicted"] == {} and out["alpha"]["lo"] <= 0
    assert any(note.startswith("beta not identified") for note in out["notes"])
    proc = cli(path, "--y", "y", "--bandwidth", "1e-30", "--bootstrap", "3", "--repeats", "2")
    assert proc.returncode == 3 and "beta   not identified" in proc.stdout and "Traceback" not in proc.stderr
