"""`python -m agent` is `perfagent`."""

from agent.cli import main

main()
