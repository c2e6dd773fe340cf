"""ARM templates: export a plan as the templates a customer deploys, and import Microsoft's onboarding templates."""
