"""Partner Center's REST API for CSP partners: the HTTP client, sign-in, and the customer's Azure plan.

Pure Python over requests and azure-identity; the Pulumi resource that uses it is components/azure_plan.py.
"""

from .azure_plan import LEGACY_OFFER, AzurePlan, AzurePlanError, AzurePlans, Entitlement
from .http import DEFAULT_ENDPOINT, PartnerCenterError, PartnerCenterHttp, check_endpoint

__all__ = [
    "DEFAULT_ENDPOINT",
    "LEGACY_OFFER",
    "AzurePlan",
    "AzurePlanError",
    "AzurePlans",
    "Entitlement",
    "PartnerCenterError",
    "PartnerCenterHttp",
    "check_endpoint",
]
