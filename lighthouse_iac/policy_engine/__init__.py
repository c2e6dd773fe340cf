"""The policy engine: what a rule is, how rules run over ARM-shaped resources, and the readers they share.

The rules themselves live in `lighthouse_iac.rules`, one concern per module; this package holds the
machinery: the rule model (`model`), evaluation (`engine`), settings, the context built from
configuration, locating a verdict in the stack file, and the lenient readers of resources.
"""
