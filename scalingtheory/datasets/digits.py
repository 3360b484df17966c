"""The 8x8 handwritten digits, shipped as package data (no scikit-learn needed).

Data: the test set of the UCI "Optical Recognition of Handwritten Digits" data set,
E. Alpaydin & C. Kaynak (1998), https://archive.ics.uci.edu/dataset/80, licensed CC BY 4.0,
as scikit-learn distributes it (``sklearn/datasets/data/digits.csv.gz``; the same text,
rebuilt by ``benchmarks/build_digits_data.py``; see ``data/README.md``). 1797 images of
43 writers' digits: 32x32 bitmaps counted in 4x4 blocks, so each of the 64 pixels is an
integer 0..16; labels 0..9. The arrays equal ``sklearn.datasets.load_digits(return_X_y=True)``.

>>> X, y = load_digits()
>>> X.shape, X.dtype, int(X.min()), int(X.max()), y.shape, sorted(set(y.tolist())) == list(range(10))
((1797, 64), dtype('float64'), 0, 16, (1797,), True)
"""

from __future__ import annotations

import gzip

import numpy as np

from .revisiting import PACKAGE_DATA

#: The packaged file: CSV rows of 64 pixels and the label (digest in ``data/README.md``).
DIGITS_FILE = PACKAGE_DATA / "digits.csv.gz"
ATTRIBUTION = ("UCI Optical Recognition of Handwritten Digits (test set): Alpaydin & Kaynak 1998, "
               "https://archive.ics.uci.edu/dataset/80, CC BY 4.0; as distributed by scikit-learn")


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: pixels as float64 ``(1797, 64)`` (values 0..16) and integer labels ``(1797,)``."""
    with gzip.open(DIGITS_FILE, "rt", encoding="ascii") as fh:
        data = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    return data[:, :-1].astype(float), data[:, -1]
