"""The defaults of a run that the CLI, the web app and the API share.

Nothing is imported here, so the command line can name them in ``--help`` without loading numpy.
"""

DEFAULT_DRAWS = 10_000
"""Monte Carlo draws of a decision or simulation when none are asked for."""
DEFAULT_SEED = 20261125
"""Root of the random streams (``services.seeds``) when no seed is given."""
MAX_DRAWS = 2_000_000
"""The most draws one run may ask for."""
