"""GitHub integration: the REST client, PR bodies with the evidence, `perfagent pr` and the
webhook bot (`perfagent bot serve`) with its job queue. See docs/github.md."""
