"""The provider host of the source-based Pulumi package `lighthouse`, started by the Pulumi CLI.

`pulumi package add` runs this file with the engine's address; the schema is built from the component's type
annotations (components/schema.json is the committed copy), and type tokens stay `lighthouse:index:...`.
"""

from pulumi.provider.experimental import component_provider_host

from lighthouse_iac_components import CustomerDelegation
from lighthouse_iac_components.package import NAME, NAMESPACE, VERSION

if __name__ == "__main__":
    component_provider_host([CustomerDelegation], name=NAME, namespace=NAMESPACE, version=VERSION)
