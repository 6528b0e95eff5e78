"""Use cases that entrypoints (CLI, web, reports) call."""
