"""``python -m netwerk …`` is the same as the ``netwerk`` command."""

from netwerk.cli import main

main()
