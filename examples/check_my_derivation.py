"""Is my derivation right? Check hand-derived exponents against the toolkit's closed forms.

Three typical checks, each parsed safely and compared symbolically and then numerically at
random points (mpmath, 50 digits), regime by regime:

1. the rich hard-task time exponent of the feature-learning model, written in an
   unsimplified form that is nevertheless equal;
2. a compute-optimal exponent that is right only for hard tasks (beta < 1): the check
   says where it agrees and shows a counterexample elsewhere;
3. a wrong allocation exponent for the random-feature model.

    python examples/check_my_derivation.py [--quick] [--out DIR]
"""

import argparse

from scalingtheory.verify import verify

#: (model, quantity, formula, fixed parameters, expected verdict)
CHECKS = [
    ("feature_learning", "exponents.t", "2 - 2/(1 + beta)", {"regime": "hard"}, True),
    ("feature_learning", "compute_optimal.loss", "alpha*beta/(alpha+1)", {"training": "lazy", "alpha": 2}, False),
    ("random_features", "compute_optimal.allocation.N", "1/2", {"alpha": "3/2", "beta": "2/3"}, False),
]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer random points")
    ap.add_argument("--out", default=".", help="unused (no figures); accepted for uniformity")
    args = ap.parse_args(argv)
    points = 8 if args.quick else 24
    for model, quantity, formula, params, expected in CHECKS:
        fixed = ", ".join(f"{k}={v}" for k, v in params.items())
        print(f"$ scalingtheory verify --model {model} --quantity {quantity} ({fixed}) \"{formula}\"")
        result = verify(model, quantity, formula, points=points, **params)
        print(result, end="\n\n")
        if result.equal != expected:
            raise SystemExit(f"unexpected verdict for {formula!r}: {'equal' if result.equal else 'not equal'}")


if __name__ == "__main__":   # one-line errors with the exit status of `scalingtheory --help`
    from scalingtheory.cli import run_script

    raise SystemExit(run_script(main))
