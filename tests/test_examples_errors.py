"""Examples end like commands (issue 26, item 6): a bad input is one line on stderr and the exit status of
``scalingtheory --help`` (2), never a traceback, and leaves no folder behind."""
import runpy
from pathlib import Path

import pytest

from scalingtheory.cli import BAD_INPUT, run_script

ROOT = Path(__file__).resolve().parents[1]
WRITERS = [p for p in sorted((ROOT / "examples").glob("*.py")) if "unused (no figures)" not in p.read_text()]


def _main(path: Path):
    return runpy.run_path(str(path), run_name="example")["main"]


def test_every_example_ends_with_run_script():
    for path in sorted((ROOT / "examples").glob("*.py")):
        assert "raise SystemExit(run_script(main))" in path.read_text(), path.name


@pytest.mark.parametrize("path", WRITERS, ids=lambda p: p.stem)
def test_an_output_folder_that_is_a_file_is_one_line_and_status_2(path, tmp_path, capsys):
    target = tmp_path / "taken"
    target.write_text("a user's file")
    assert run_script(_main(path), ["--quick", "--out", str(target)]) == BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error:" in err and "Traceback" not in err, err
    assert target.read_text() == "a user's file"


def test_sweep_to_allocation_missing_data_leaves_no_folder(tmp_path, capsys):
    main = _main(ROOT / "examples" / "sweep_to_allocation.py")
    out = tmp_path / "out"
    assert run_script(main, ["--data", str(tmp_path / "runs.csv"), "--out", str(out)]) == BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err and not out.exists(), err
