r"""Kernels and the bandwidth rule used to estimate a data set's spectrum.

==============  ===========================================================  ==========
name            :math:`K(x, x')`                                             bandwidth
==============  ===========================================================  ==========
``rbf``         :math:`\exp(-\lVert x-x'\rVert^2 / 2h^2)`                      median
``laplace``     :math:`\exp(-\lVert x-x'\rVert / h)`                           median
``ntk_relu``    one-hidden-layer ReLU NTK on centred inputs projected to the   none
                sphere, :math:`u\,\kappa_0(u)+\kappa_1(u)` with
                :math:`\kappa_0=(\pi-\arccos u)/\pi`,
                :math:`\kappa_1=(\sqrt{1-u^2}+(\pi-\arccos u)u)/\pi`
                (Cho & Saul 2009 arc-cosine kernels; Jacot et al. 2018)
``linear``      :math:`\bar x\cdot\bar x'/d` on centred inputs                  none
==============  ===========================================================  ==========

Bandwidth rule (``bandwidth="median"``, the default): ``h`` is the median distance
between distinct points (the "median heuristic"), computed on at most 1000 points
drawn with a fixed seed. A number sets ``h`` directly. A callable kernel receives two
arrays ``(A, B)`` and returns the ``len(A) x len(B)`` matrix.

>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])
>>> median_distance(X)
5.0
>>> gram(X, "laplace", bandwidth=5.0).round(4)
array([[1.    , 0.3679, 0.1353],
       [0.3679, 1.    , 0.3679],
       [0.1353, 0.3679, 1.    ]])
"""
from __future__ import annotations

# NumPy is imported inside the functions: ``spectrum --help`` reads the names below without it

KERNELS = ("rbf", "laplace", "ntk_relu", "linear")
#: kernels whose scale is set by a bandwidth
BANDWIDTH_KERNELS = ("rbf", "laplace")
#: points used by the median heuristic
MEDIAN_POINTS = 1000


def median_distance(X: np.ndarray, seed: int = 0) -> float:
    """Median Euclidean distance between distinct points (on <= 1000 seeded points)."""
    import numpy as np
    from scipy.spatial.distance import pdist
    X = np.asarray(X, dtype=float)
    if len(X) > MEDIAN_POINTS:
        X = X[np.random.default_rng(seed).choice(len(X), MEDIAN_POINTS, replace=False)]
    d = pdist(X)
    d = d[d > 0]
    if d.size == 0:
        raise ValueError("all points coincide: no bandwidth (and no spectrum) can be estimated")
    return float(np.median(d))


def _sphere(X: np.ndarray, mean: np.ndarray) -> np.ndarray:
    import numpy as np
    Z = X - mean
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("ntk_relu: a point equals the data mean and has no direction on the sphere")
    return Z / norms


def _ntk_relu(u: np.ndarray) -> np.ndarray:
    import numpy as np
    u = np.clip(u, -1.0, 1.0)
    theta = np.arccos(u)
    k0 = (np.pi - theta) / np.pi
    k1 = (np.sqrt(1.0 - u * u) + (np.pi - theta) * u) / np.pi
    return u * k0 + k1


def cross_gram(A, B, kernel: str, bandwidth: float | None, mean) -> np.ndarray:
    """``K(A_i, B_j)`` for a named kernel (``mean``: the data mean, for the centred kernels)."""
    import numpy as np
    from scipy.spatial.distance import cdist
    if kernel in BANDWIDTH_KERNELS:
        with np.errstate(over="ignore"):      # d/h beyond 1e154 (a tiny h): exp(-inf) = 0, as it should be
            z = cdist(A, B) / bandwidth       # not d^2 / h^2: h^2 overflows for h > 1e154
            return np.exp(-0.5 * z * z) if kernel == "rbf" else np.exp(-z)
    if kernel == "ntk_relu":
        return _ntk_relu(_sphere(A, mean) @ _sphere(B, mean).T)
    if kernel == "linear":
        return (A - mean) @ (B - mean).T / A.shape[1]
    raise ValueError(f"unknown kernel {kernel!r}; choose one of {', '.join(KERNELS)} or pass a callable")


def resolve_bandwidth(X, kernel, bandwidth) -> float | None:
    """The bandwidth actually used: ``None`` for kernels without one, the median rule or a number."""
    import numpy as np
    if callable(kernel) or kernel not in BANDWIDTH_KERNELS:
        return None
    if isinstance(bandwidth, str):
        if bandwidth != "median":
            raise ValueError(f"bandwidth must be 'median' or a positive number, got {bandwidth!r}")
        return median_distance(X)
    h = float(bandwidth)
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"bandwidth must be 'median' or a positive number, got {bandwidth!r}")
    return h


def gram(X, kernel="rbf", bandwidth="median") -> np.ndarray:
    """The symmetric Gram matrix ``K_ij = K(x_i, x_j)`` of the rows of ``X``."""
    import numpy as np
    X = np.asarray(X, dtype=float)
    if callable(kernel):
        K = np.asarray(kernel(X, X), dtype=float)
        if K.shape != (len(X), len(X)) or not np.all(np.isfinite(K)):
            raise ValueError(f"the kernel callable must return a finite {len(X)} x {len(X)} matrix")
        return (K + K.T) / 2
    h = resolve_bandwidth(X, kernel, bandwidth)
    return cross_gram(X, X, kernel, h, X.mean(axis=0))


__all__ = ["KERNELS", "BANDWIDTH_KERNELS", "gram", "cross_gram", "median_distance", "resolve_bandwidth"]
