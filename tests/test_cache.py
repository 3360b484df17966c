"""Derivations cached across a session and on disk (issue 26, item 3): the same answers, never a stale
or a foreign one, written safely. Speed is measured in benchmarks/bench_queries.py, not here."""
import os

import pytest
import sympy as sp

from scalingtheory import cache
from scalingtheory.models import get_model
from scalingtheory.symbols import alpha, beta

MODEL = get_model("random_features")
PARAMS = {"alpha": alpha, "beta": beta, "regime": "hard"}


@pytest.fixture
def disk(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    cache.clear()
    yield cache.directory()
    cache.clear()


def _refuse(monkeypatch):
    """Deriving again fails the test: the answer must come from a cache."""
    def derive(**kw):
        raise AssertionError("derived again")
    # on the instance, deleted on undo (setattr would leave the bound method behind, shadowing later class patches)
    monkeypatch.setitem(vars(MODEL), "analyze", derive)


def test_session_answers_are_equal_copies(disk, monkeypatch):
    first = cache.analyze(MODEL, PARAMS)
    assert first.to_json() == MODEL.analyze(**PARAMS).to_json()
    first.notes.append("mine")
    first.exponents.clear()
    _refuse(monkeypatch)
    again = cache.analyze(MODEL, PARAMS)
    assert "mine" not in again.notes and again.exponents and again.to_json() == MODEL.__class__.analyze(
        MODEL, **PARAMS).to_json()


def test_closed_form_is_read_back_from_disk(disk, monkeypatch):
    derived = cache.analyze(MODEL, PARAMS)
    files = list(disk.glob("random_features-*.pickle"))
    assert len(files) == 1 and not (os.stat(disk).st_mode & 0o077)
    cache.clear()
    _refuse(monkeypatch)
    read = cache.analyze(MODEL, PARAMS)
    assert read.to_json() == derived.to_json()
    assert read["exponents.N"].expr == alpha * beta and read["exponents.N"].expr.free_symbols == {alpha, beta}
    assert all(s.is_positive for s in read["exponents.N"].expr.free_symbols)    # assumptions survive


def test_numeric_points_stay_in_the_session(disk):
    cache.analyze(MODEL, {"alpha": 2, "beta": sp.Rational(1, 2)})
    assert not disk.exists() or not list(disk.iterdir())


@pytest.mark.parametrize("spoil", ["source", "foreign folder", "corrupt file"])
def test_a_changed_toolkit_or_an_unsafe_file_is_never_read(disk, monkeypatch, spoil):
    cache.analyze(MODEL, PARAMS)
    cache.clear()
    (path,) = disk.glob("*.pickle")
    if spoil == "source":
        monkeypatch.setattr(cache, "source_hash", lambda: "another version of the code")
    elif spoil == "foreign folder":
        os.chmod(disk, 0o777)     # others may write there: a pickle from it could run their code
    else:
        path.write_bytes(b"not a pickle")
    calls = []
    real = MODEL.analyze
    monkeypatch.setitem(vars(MODEL), "analyze", lambda **kw: calls.append(kw) or real(**kw))
    assert cache.analyze(MODEL, PARAMS).to_json() == real(**PARAMS).to_json() and len(calls) == 1


def test_keys_tell_types_apart_and_off_means_off(monkeypatch):
    monkeypatch.setenv(cache.ENV, "off")
    cache.clear()
    assert cache.directory() is None
    assert cache.analyze(MODEL, {"alpha": 2, "beta": 1})["exponents.t"].expr == 1
    with pytest.raises(ValueError):
        MODEL.analyze(alpha=True, beta=1)
    with pytest.raises(ValueError):        # not the cached answer for alpha = 2 == True + 1, nor for 1
        cache.analyze(MODEL, {"alpha": True, "beta": 1})
    cache.clear()
