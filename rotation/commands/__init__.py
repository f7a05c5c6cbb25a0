"""Sub-commands that plug into the `rotation` command with a `register(subparsers)` function."""
