"""perfagent's environment specs for the repositories SWE-Perf and SWE-fficiency use (data)."""
