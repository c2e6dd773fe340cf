"""Partner Center's REST API for CSP partners: the HTTP client, sign-in, and the customer's Azure plan.

Pure Python over requests and azure-identity; the Pulumi resource that uses it is components/azure_plan.py.
Import the modules themselves (`partner_center.http`, `.azure_plan`, `.snapshot`): this package imports
nothing, so that reading a snapshot (`plan`, `validate`) does not load requests.
"""
