"""The `openqms design` and `openqms evidence` commands, one file per verb: each has
`add_arguments(parser)` and `handle(command, opts) -> int` (the exit code)."""
