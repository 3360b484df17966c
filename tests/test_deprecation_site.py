"""Deprecated names warn at the user's line, not inside the toolkit: Python's default filters show a
``DeprecationWarning`` only where ``__main__`` made the call, so a warning attributed to
``scalingtheory/api.py`` or ``cache.py`` (as ``st.exponents(..., task=...)``'s was) is never seen in a script."""

import warnings

import numpy as np
import pytest

import scalingtheory as st


def _sites(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return {(w.filename, str(w.message)) for w in caught if issubclass(w.category, DeprecationWarning)}


@pytest.mark.parametrize("call, text", [
    (lambda: st.exponents("feature_learning", alpha=2, beta="1/2", training="rich", task="hard"),
     "task is a deprecated alias of regime"),
    (lambda: st.optimal("feature_learning", alpha=2, beta="1/2", task="hard"), "task is a deprecated alias of regime"),
    (lambda: st.get_model("random_features").task(2, 0.5, 5), "use eigenvalues_and_target"),
    (lambda: st.fit(np.geomspace(1, 1e3, 12), np.geomspace(1, 1e3, 12) ** -0.5, n_boot=0, breaks=0),
     "the keyword n_boot is deprecated; use bootstrap"),
])
def test_a_deprecated_name_warns_once_at_the_callers_line(call, text):
    sites = _sites(call)
    assert len(sites) == 1, sites          # one site: Python's default filter then shows it once
    (filename, message), = sites
    assert filename == __file__ and text in message


def test_the_revisiting_scorer_takes_bootstrap_as_the_fits_do():
    """``score_curve``/``run_benchmark`` name the replicates ``bootstrap`` (``n_boot`` warns), as ``st.fit``."""
    from scalingtheory.datasets import revisiting
    from scalingtheory.fitting.revisiting import score_curve

    curve = revisiting(domains=["NMT"])[0]
    old = _sites(lambda: score_curve(curve, ("m1",), n_boot=0, n_origins=0))
    assert [m for _, m in old] == ["score_curve: the keyword n_boot is deprecated; use bootstrap"]
    assert not _sites(lambda: score_curve(curve, ("m1",), bootstrap=0, n_origins=0))


def test_the_command_line_names_a_renamed_option_without_verbose(capsys):
    """The toolkit's own renames reach a command-line user as one warning line; other warnings stay off."""
    from scalingtheory.cli import main

    assert main(["exponent", "--model", "feature_learning", "--task", "hard", "--alpha", "2", "--beta", "1/2"]) == 0
    lines = [x for x in capsys.readouterr().err.splitlines() if "warning:" in x]
    assert len(lines) == 1 and "task is a deprecated alias of regime" in lines[0], lines
    assert main(["exponent", "--model", "feature_learning", "--regime", "hard", "--alpha", "2", "--beta", "1/2"]) == 0
    assert "warning:" not in capsys.readouterr().err
