"""ARM templates: the export a customer deploys, and the import of Microsoft's onboarding templates."""
