"""The loop, planner, coder, models and the interfaces (CLI, PR bot)."""
