"""Numeric routes to the theory: solvers (DMFT, mean field, exact sums), finite-size simulations
and curve fitting. Each module checks a closed form of :mod:`scalingtheory.models` independently."""
