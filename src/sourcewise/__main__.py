"""``python -m sourcewise``: the command line, as the ``sourcewise`` script runs it."""

from sourcewise.cli import main

main()
