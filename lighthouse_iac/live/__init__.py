"""The onboarding identity read live: ARM's permissions list and Microsoft Graph's `/me`.

The only part of `lighthouse_iac` that talks to Azure. The judgement is pure and lives in
`lighthouse_iac.onboarding_identity`; `gate` is what the program and `lighthouse-iac whoami` call.
"""
