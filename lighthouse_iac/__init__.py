"""Azure Lighthouse delegations as code: the core, which knows Lighthouse and nothing of Pulumi."""

__version__ = "0.1.0"
