"""The stack's whole configuration, as the Pulumi engine hands it to the program.

The program validates every key of the stack, so that a misspelt key or namespace is an error rather
than a value silently missing; for that it needs the keys that are set, not only the ones it knows.
The SDK's public API reads one named key at a time (`pulumi.Config(namespace).get(key)`,
`pulumi.runtime.get_config(key)`), and `pulumi.runtime.get_config_env()` reads only the `PULUMI_CONFIG`
environment variable, which the Automation API and the SDK's mocks do not set. The one map every host
fills is `pulumi.runtime.config.CONFIG`: the CLI's language host (`pulumi-language-python-exec`) puts
`PULUMI_CONFIG` there through `set_all_config`, and so do the Automation API and tests. It is not part
of the documented API, so this module is the only place that reads it.
"""

from __future__ import annotations

from pulumi.runtime.config import CONFIG


def engine_config() -> dict[str, str]:
    """Every configuration key of the stack (`namespace:key`) and its value, objects JSON-encoded."""
    return {str(key): value for key, value in CONFIG.get().items()}
