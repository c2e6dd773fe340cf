"""The fleet access report: who of the managing tenant can do what, where, and what changed."""
