"""Build ``scalingtheory/datasets/data/digits.csv.gz`` from scikit-learn's copy of the digits.

    python benchmarks/build_digits_data.py [OUT]

The file is the test set of the UCI "Optical Recognition of Handwritten Digits" data
(Alpaydin & Kaynak 1998, https://archive.ics.uci.edu/dataset/80, CC BY 4.0) as scikit-learn
distributes it in ``sklearn/datasets/data/digits.csv.gz``: 1797 rows of 64 integer pixels
0..16 (an 8x8 image, row by row) and the label 0..9, comma-separated. The text is kept byte
for byte; only the gzip wrapper is rewritten without a time stamp or file name (level 9), so
the same text always gives the same file and the SHA-256 in ``datasets/data/README.md``.
``tests/test_spectrum_datasets.py`` rebuilds it and checks the bytes and the arrays against
``sklearn.datasets.load_digits`` when scikit-learn is installed. Needs scikit-learn (extra
``data``); the toolkit itself reads the shipped file without it.
"""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "scalingtheory" / "datasets" / "data" / "digits.csv.gz"


def digits_text() -> bytes:
    """The decompressed CSV text of scikit-learn's ``digits.csv.gz``."""
    from importlib.resources import files
    return gzip.decompress(files("sklearn.datasets").joinpath("data", "digits.csv.gz").read_bytes())


def build(out: Path = OUT) -> Path:
    """Write the reproducible gzip file of :func:`digits_text` to ``out`` (temporary name, then rename)."""
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(gzip.compress(digits_text(), compresslevel=9, mtime=0))
    tmp.replace(out)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
