"""``python -m scalingtheory`` behaves exactly like the ``scalingtheory`` command."""
import sys

from .cli import main

sys.exit(main())
