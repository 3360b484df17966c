"""Hostile inputs found in the review of the session's changes (fit --group, spectrum files, profile).

Each case was wrong before its fix (the test says how).
"""

from __future__ import annotations

import numpy as np
import pytest


def test_a_non_finite_npy_value_is_shown_as_a_number(tmp_path):
    """datafile.numbers showed a .npy cell by its repr ('has np.float64(nan)'); a CSV cell keeps its text."""
    from scalingtheory.datafile import numbers

    with pytest.raises(ValueError, match=r"column '0' must be finite; data row 2 has nan \(1 such value"):
        numbers(np.array([1.0, np.nan, 3.0]), "0")
    with pytest.raises(ValueError, match=r"data row 1 has -inf \(2 such"):
        numbers(np.array([-np.inf, np.inf]), "0")
    with pytest.raises(ValueError, match=r"data row 2 has 'Inf' \(1 such"):
        numbers(["1", "Inf"], "b")
