"""Subcommands of the ``scalingtheory`` CLI, one module each (see :mod:`scalingtheory.cli`)."""
