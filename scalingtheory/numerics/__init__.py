"""Numeric routes to the theory: solvers (DMFT, mean field, exact sums) and finite-size simulations.
Each module checks a closed form of :mod:`scalingtheory.models` independently (fitting data lives in
:mod:`scalingtheory.fitting`)."""
