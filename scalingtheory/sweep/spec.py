r"""The sweep specification: parsed and validated as hostile input, then expanded into tasks.

A spec (JSON) names a model, one of its numeric routes (:mod:`scalingtheory.sweep.routes`),
a grid of model parameters, the resources to vary, fixed values of the other resources and
of the route's settings, and the seeds::

    {"model": "random_features", "route": "exact",
     "grid": {"alpha": [2], "beta": ["1/2", "3/2"]},
     "vary": {"N": [32, 64, 128, 256]},
     "fixed": {"P": "inf", "t": "inf", "M": 3000}, "seeds": [0, 1, 2]}

Optional keys: ``tolerance`` with ``tolerance_reason`` (a systematic error of the measured
exponent that the spec states, e.g. pre-asymptotic sizes: the closed form is then compared as
``[r - tolerance, r + tolerance]``, and the reason is printed beside it; default none) and ``fit_range`` (``{resource: [lo, hi]}``: the
values entering the log-log slope; default all). With several varied resources each is
varied alone while the others keep their ``fixed`` value, so a varied resource is then also
fixed. One task is one (grid point, varied resource and value, seed); seed ``s`` is the
NumPy seed of that draw, so the same spec gives the same losses. ``seeds`` is the list of seeds, as
everywhere in the toolkit (:data:`scalingtheory.limits.SEEDS`); a count ``n`` is a deprecated alias of
``[0, ..., n-1]`` (it warns). A random route needs at least :data:`MIN_SEEDS` seeds (its exponent's
interval is a t-interval over seeds); a deterministic one takes exactly one.

Anything else is refused with one line (``ValueError``): unknown keys, values outside their
domain, ``"inf"`` where the route has no such limit, more than :data:`MAX_TASKS` tasks or
tasks holding more than :data:`MAX_SIZE` numbers or touching more than :data:`MAX_WORK` (unless ``allow_large``).

>>> s = parse_spec({"model": "random_features", "route": "exact", "grid": {"alpha": [2], "beta": [0.5, "3/2"]},
...                 "vary": {"N": [32, 64]}, "fixed": {"P": "inf", "t": "inf", "M": 600}, "seeds": [0, 1]})
>>> s.points()
[{'alpha': '2', 'beta': '1/2'}, {'alpha': '2', 'beta': '3/2'}]
>>> len(s.tasks()), s.tasks()[0]["values"]
(8, {'P': inf, 't': inf, 'M': 600, 'N': 32})
>>> parse_spec({"model": "random_features", "route": "exact", "grid": {}, "vary": {}, "seeds": [0], "color": 1})
Traceback (most recent call last):
...
ValueError: unknown key 'color' in the spec; allowed: model, route, grid, vary, fixed, seeds, tolerance, tolerance_reason, fit_range
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..limits import LIMITS, check_count
from ..number_text import MAX_CHARS
from .routes import INF, Route, route

#: at most this many tasks (grid points x varied values x seeds) without ``allow_large``
MAX_TASKS = 10_000
#: at most this many numbers held in memory by one task without ``allow_large`` (400 MB of floats)
MAX_SIZE = 5 * 10**7
#: at most this many numbers touched by one task of a route whose cost grows with its steps (``Route.work``)
#: without ``allow_large``: about 20 min of one core (the full-size network rows touch 2e9-1e10 per seed)
MAX_WORK = 10**12
#: values in one list of the grid or of ``vary``; seeds; bytes of a spec file
MAX_VALUES, MAX_SPEC_BYTES = 200, 1_000_000
MAX_SEEDS = LIMITS["seeds"].high
#: a random route's interval is a t-interval over seeds: it needs this many
MIN_SEEDS = 2
#: longest stated reason of a tolerance
MAX_REASON = 500

KEYS = ("model", "route", "grid", "vary", "fixed", "seeds", "tolerance", "tolerance_reason", "fit_range")
REQUIRED = ("model", "route", "grid", "vary", "seeds")


@dataclass(frozen=True)
class Spec:
    """A validated sweep; ``grid`` values are exact strings, resources floats (``inf``) or ints."""

    model: str
    route: str
    grid: dict
    vary: dict
    fixed: dict
    seeds: tuple
    tolerance: float
    fit_range: dict
    tolerance_reason: str = ""

    @property
    def numeric_route(self) -> Route:
        return route(self.model, self.route)

    def canonical(self) -> dict:
        """JSON form with every default filled in (two specs meaning the same sweep compare equal)."""
        num = _json_number
        return {"model": self.model, "route": self.route, "grid": {k: list(v) for k, v in self.grid.items()},
                "vary": {k: [num(x) for x in v] for k, v in self.vary.items()},
                "fixed": {k: num(v) for k, v in self.fixed.items()}, "seeds": list(self.seeds),
                "tolerance": self.tolerance, "tolerance_reason": self.tolerance_reason,
                "fit_range": {k: [num(x) for x in v] for k, v in self.fit_range.items()}}

    def points(self) -> list[dict]:
        """Grid points in order (the product of the grid lists)."""
        names = list(self.grid)
        return [dict(zip(names, combo)) for combo in itertools.product(*self.grid.values())]

    @property
    def n_tasks(self) -> int:
        return math.prod(len(v) for v in self.grid.values()) * sum(map(len, self.vary.values())) * len(self.seeds)

    def tasks(self) -> list[dict]:
        """One task per (grid point, varied resource and value, seed): what a worker needs."""
        out = []
        for point in self.points():
            for res, values in self.vary.items():
                for x in values:
                    vals = {**self.fixed, res: x}
                    out.extend({"point": point, "resource": res, "values": vals, "seed": s} for s in self.seeds)
        return out


def task_key(point: dict, resource: str, value: float, seed: int) -> tuple:
    """Identity of a task (and of its result row): what ``--resume`` compares."""
    return (point_label(point), resource, float(value), int(seed))


def point_label(point: dict) -> str:
    """``"alpha=2, beta=1/2"``: a grid point as text (exact values)."""
    return ", ".join(f"{k}={v}" for k, v in point.items())


def _json_number(x):
    return "inf" if isinstance(x, float) and math.isinf(x) else x


def _number(value, name: str, integer: bool, allow_inf: str | None = None):
    """A positive number (``int`` if ``integer``) or ``inf`` when ``allow_inf`` is not None."""
    from ..params import exact

    if value == "inf" and isinstance(value, str):
        if allow_inf is None:
            raise ValueError(f"{name} = inf is not a limit this route has")
        return INF
    if isinstance(value, (list, dict)) or value is None:
        raise ValueError(f"{name} must be a number, got {json.dumps(value)[:60]}")
    x = exact(value, name)
    if integer and not x.is_Integer:
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if x > 10**15:
        raise ValueError(f"{name} = {value!r} is too large (at most 1e15)")
    return int(x) if integer else float(x)


def _resource(r, value, name: str, rt: Route):
    if value == "inf" and not r.inf:
        raise ValueError(f"route {rt.name} of {rt.model} does not support {name} = inf ({r.no_inf})")
    x = _number(value, name, r.integer, r.inf or None)
    if x <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return x


def _mapping(spec: dict, key: str) -> dict:
    value = spec.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"'{key}' must be an object {{name: ...}}, got {json.dumps(value)[:60]}")
    return value


def _values(values, where: str, minimum: int = 1, maximum: int = MAX_VALUES) -> list:
    if not isinstance(values, list) or not minimum <= len(values) <= maximum:
        raise ValueError(f"{where} must be a list of {minimum} to {maximum:,} values, got {json.dumps(values)[:60]}")
    return values


def _grid(spec: dict, rt: Route, model) -> dict:
    grid = _mapping(spec, "grid")
    if sorted(grid) != sorted(rt.grid):
        raise ValueError(f"'grid' of route {rt.name} must give exactly {', '.join(rt.grid)}, got "
                         f"{', '.join(grid) or 'nothing'}")
    out = {}
    for name in rt.grid:
        exact = [str(model.parameter(name).validate(v)) for v in _values(grid[name], f"grid {name}")]
        if len(set(exact)) != len(exact):
            raise ValueError(f"grid {name} repeats a value: {', '.join(exact)}")
        out[name] = tuple(exact)
    return out


def _vary(spec: dict, rt: Route) -> dict:
    vary = _mapping(spec, "vary")
    names = {r.name for r in rt.resources}
    if not vary or set(vary) - names:
        raise ValueError(f"'vary' must name one or more resources of route {rt.name}: {', '.join(sorted(names))}; "
                         f"got {', '.join(vary) or 'nothing'}")
    out = {}
    for name, values in vary.items():
        xs = [_resource(rt.resource(name), v, f"vary {name}", rt) for v in _values(values, f"vary {name}", 2)]
        if any(math.isinf(x) for x in xs) or len(set(xs)) != len(xs):
            raise ValueError(f"vary {name} must hold distinct finite values (the slope needs sizes, not limits)")
        out[name] = tuple(sorted(xs))
    return out


def _fixed(spec: dict, rt: Route, vary: dict) -> dict:
    fixed = _mapping(spec, "fixed")
    settings = {s.name: s for s in rt.settings}
    known = [r.name for r in rt.resources] + list(settings)
    unknown = [k for k in fixed if k not in known]
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}' in 'fixed' of route {rt.name}; allowed: {', '.join(known)}")
    out = {}
    for r in rt.resources:
        if r.name in fixed:
            if len(vary) == 1 and r.name in vary:
                raise ValueError(f"{r.name} is both varied and fixed (fix a varied resource only when "
                                 "several resources are varied)")
            out[r.name] = _resource(r, fixed[r.name], f"fixed {r.name}", rt)
        elif not (len(vary) == 1 and r.name in vary):
            raise ValueError(f"'fixed' must give {r.name} ({r.meaning}: a number" + (" or \"inf\"" if r.inf else "")
                             + ")" + (", also when varied alongside other resources" if r.name in vary else ""))
    for s in rt.settings:
        x = _number(fixed.get(s.name, s.default), s.name, s.integer)
        if not (s.lo <= x if s.closed else s.lo < x) or x > s.hi:
            raise ValueError(f"{s.name} ({s.meaning}) must satisfy {s.lo:g} {'<=' if s.closed else '<'} "
                             f"{s.name} <= {s.hi:g}, got {fixed[s.name]!r}")
        out[s.name] = x
    return out


def _seeds(spec: dict, rt: Route) -> tuple:
    seeds = spec["seeds"]
    if isinstance(seeds, int) and not isinstance(seeds, bool):  # the deprecated count
        if not 1 <= seeds <= MAX_SEEDS:
            raise ValueError(f"seeds must be a list of seeds (or a count between 1 and {MAX_SEEDS:,}), got {seeds}")
        from ..renames import warn_deprecated

        warn_deprecated(f"seeds as a count ({seeds}) is deprecated: give the list of seeds, [0, ..., {seeds - 1}]")
        out = tuple(range(seeds))
    else:  # a list: the numerics' meaning of seeds (numerics._shared.seed_tuple), checked there
        from ..numerics._shared import seed_tuple

        vals = _values(seeds, "seeds", maximum=MAX_SEEDS)
        try:
            out = seed_tuple(vals)
        except (TypeError, ValueError):
            raise ValueError("seeds must be a list of distinct integers in [0, 2^32) (or a count)") from None
    if not rt.stochastic and len(out) != 1:
        raise ValueError(f"route {rt.name} is deterministic: give one seed (\"seeds\": [0])")
    if rt.stochastic and len(out) < MIN_SEEDS:
        raise ValueError(f"route {rt.name} is random: give at least {MIN_SEEDS} seeds (an exponent's interval is a "
                         "t-interval over seeds; one seed has none)")
    return out


def _fit_range(spec: dict, vary: dict) -> dict:
    out = {}
    for name, bounds in _mapping(spec, "fit_range").items():
        if name not in vary:
            raise ValueError(f"fit_range names {name!r}, which is not varied")
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise ValueError(f"fit_range {name} must be [low, high]")
        lo, hi = (_number(b, f"fit_range {name}", False) for b in bounds)
        if sum(lo <= x <= hi for x in vary[name]) < 2:
            raise ValueError(f"fit_range {name} = [{lo:g}, {hi:g}] must hold at least two varied values")
        out[name] = (lo, hi)
    return out


def _tolerance(spec: dict) -> tuple[float, str]:
    """``(tolerance, reason)``: none by default; a tolerance is a stated systematic error, so it needs its reason."""
    tol, reason = spec.get("tolerance", 0), spec.get("tolerance_reason")
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 <= tol <= 10:
        raise ValueError(f"tolerance must be a number in [0, 10], got {json.dumps(tol)[:40]}")
    if reason is None:
        if tol:
            raise ValueError("a tolerance is a systematic error the spec states: give tolerance_reason (e.g. "
                             "'pre-asymptotic: sizes below the crossover'), or drop the tolerance")
        return 0.0, ""
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
        raise ValueError(f"tolerance_reason must be a text of 1 to {MAX_REASON} characters")
    if not tol:
        raise ValueError("tolerance_reason without a tolerance > 0")
    return float(tol), " ".join(reason.split())


def _bounded(spec: Spec, allow_large: bool) -> None:
    """Task count and per-task size bounds (route checks such as ``N <= M`` always apply)."""
    check_count("sweep_tasks", spec.n_tasks, "the number of tasks")      # a bound even with --yes
    if spec.n_tasks > MAX_TASKS and not allow_large:
        raise ValueError(f"the sweep has {spec.n_tasks} tasks, more than {MAX_TASKS}; shrink it or allow "
                         "large sweeps (--yes)")
    rt = spec.numeric_route
    for res, values in spec.vary.items():
        for x in values:
            task = {**spec.fixed, res: x}
            size = rt.check(task)
            if size > MAX_SIZE and not allow_large:
                raise ValueError(f"one task at {res} = {x:g} holds about {size:.2g} numbers, more than {MAX_SIZE:.0e}; "
                                 "lower M or the sizes, or allow large sweeps (--yes)")
            work = rt.work(task) if rt.work else 0
            if work > MAX_WORK and not allow_large:
                raise ValueError(f"one task at {res} = {x:g} touches about {work:.2g} numbers (steps x numbers per "
                                 f"step), more than {MAX_WORK:.0e} (about 20 min of one core); lower t or the "
                                 "sizes, or allow large sweeps (--yes)")


def parse_spec(spec: dict, allow_large: bool = False) -> Spec:
    """Validate a spec given as a dict (see the module docstring); ValueError with one line."""
    from ..models import get_model

    if not isinstance(spec, dict):
        raise ValueError("the spec must be a JSON object")
    for key in spec:
        if key not in KEYS:
            raise ValueError(f"unknown key {key!r} in the spec; allowed: {', '.join(KEYS)}")
    missing = [k for k in REQUIRED if k not in spec]
    if missing:
        raise ValueError(f"the spec lacks {', '.join(missing)}")
    if not isinstance(spec["model"], str) or not isinstance(spec["route"], str):
        raise ValueError("'model' and 'route' must be names (strings)")
    rt = route(spec["model"], spec["route"])
    vary = _vary(spec, rt)
    tolerance, reason = _tolerance(spec)
    out = Spec(rt.model, rt.name, _grid(spec, rt, get_model(rt.model)), vary, _fixed(spec, rt, vary),
               _seeds(spec, rt), tolerance, _fit_range(spec, vary), reason)
    _bounded(out, allow_large)
    return out


def _reject_constant(name: str):
    raise ValueError(f"the spec contains {name}, which strict JSON does not allow")


def _spec_int(text: str) -> int:
    """A JSON integer of the spec, refused past :data:`~scalingtheory.number_text.MAX_CHARS` characters (bad
    input: ``int`` would refuse 4300 digits with the words of a toolkit failure, status 3)."""
    if len(text) > MAX_CHARS:
        raise ValueError(f"the spec holds an integer of {len(text)} characters (at most {MAX_CHARS})")
    return int(text)


def _unique_keys(pairs: list) -> dict:
    keys = [k for k, _ in pairs]
    dup = next((k for k in keys if keys.count(k) > 1), None)
    if dup is not None:
        raise ValueError(f"the spec repeats the key {dup!r}")
    return dict(pairs)


def load_spec(source, allow_large: bool = False) -> Spec:
    """A :class:`Spec` from a dict, a :class:`Spec`, or the path of a JSON file (at most 1 MB)."""
    if isinstance(source, Spec):
        return source
    if isinstance(source, dict):
        return parse_spec(source, allow_large)
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"spec file {str(path)!r} not found (or not a regular file)")
    if path.stat().st_size > MAX_SPEC_BYTES:
        raise ValueError(f"spec file {str(path)!r} is larger than {MAX_SPEC_BYTES} bytes")
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_reject_constant, parse_int=_spec_int,
                          object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        raise ValueError(f"spec file {str(path)!r} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"spec file {str(path)!r} is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValueError(f"spec file {str(path)!r} is nested too deeply") from None
    return parse_spec(data, allow_large)
