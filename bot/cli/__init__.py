"""The ``newsbot`` command: one module per subcommand, shared options in ``options``, wiring in ``main``."""
