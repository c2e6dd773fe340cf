"""`lighthouse-iac audit`: what Azure holds for the managing tenant, compared with what the stacks declare.

The pure parts (shapes, the comparison, the renderers) import nothing from Azure; only `live` imports the
Azure SDK, and the command imports `live` only when it talks to Azure, so `--help` and `--from` stay fast.
"""
