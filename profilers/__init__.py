"""What is measured and how it is judged: wall time, instructions, hotspots, memory, verdicts."""
