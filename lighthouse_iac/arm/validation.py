"""The policy rules on ARM templates: what a template would deploy, checked like a stack, and each verdict
located on the line that set the value (the parameters file for `[parameters('x')]` values).

`validate` calls `check_templates` for its `.json` paths: a template, optionally followed by its parameters
file. The subscription a template deploys to is unknown offline; a stand-in is used unless the template
names one (exports carry it in `metadata.subscriptionId`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import config, ids
from ..catalogues import load_catalogue
from ..errors import ConfigError
from ..policy_engine.locate import Located, located_verdicts
from ..roles import RoleCatalogue
from ..rules import RULES, RuleSettings, Verdict, context_from_config
from ..source_map import Source
from ..sources import display_path
from ..validation import StackReport
from .export import exported_subscription
from .source import JsonDocument, Loc, read_json
from .template import Deployment, evaluate_template

_KNOWN_PRINCIPAL = "lighthouse-known-principal"


def is_parameters_file(doc: JsonDocument) -> bool:
    """A parameters file has `parameters` (of `{value: ...}`, checked later) and no resources."""
    data = doc.data
    if not isinstance(data, dict) or "resources" in data:
        return False
    schema = data.get("$schema")
    if isinstance(schema, str) and schema:
        return "deploymentparameters" in schema.lower()
    return "parameters" in data


def pairs(documents: Sequence[JsonDocument]) -> Iterator[tuple[JsonDocument, JsonDocument | None]]:
    """Templates, each with the parameters file that follows it on the command line (if any)."""
    i = 0
    while i < len(documents):
        template = documents[i]
        if is_parameters_file(template):
            raise ConfigError([template.problem((), "a parameters file must follow its template")])
        following = documents[i + 1] if i + 1 < len(documents) else None
        if following is not None and is_parameters_file(following):
            yield template, following
            i += 2
        else:
            yield template, None
            i += 1


def _context_values(root: Path | None, deployment: Deployment) -> dict[str, Any]:
    """The project's directory applies when the template delegates to the project's managing tenant."""
    if root is None:
        return {}
    entry = config.load_project(root).entries.get("managingTenant")
    tenant = entry.value if entry is not None and isinstance(entry.value, dict) else None
    if tenant is None:
        return {}
    delegated = {str(d.properties.get("managedByTenantId", "")).lower() for d in deployment.definitions()}
    if delegated == {str(tenant.get("tenantId", "")).lower()}:
        return {"managingTenant": tenant}
    return {"managingTenant": {"tenantId": tenant.get("tenantId")}}


def _catalogue(root: Path | None) -> RoleCatalogue:
    """The project's catalogue, as its stacks are judged with; a broken one is an error, never skipped."""
    return config.project_catalogue(config.load_project(root)) if root else load_catalogue()


def check_deployment(deployment: Deployment, root: Path | None, settings: RuleSettings) -> list[Verdict]:
    """The rules' verdicts on what the template deploys, located in the template or parameters file."""
    context = context_from_config(_context_values(root, deployment), _catalogue(root), settings)
    # A template carries no directory; unless the project's applies, the rule that requires one (and fails
    # closed without it, as it must in the pack) would only say so on every template.
    rules = RULES if context.principals is not None else tuple(r for r in RULES if r.name != _KNOWN_PRINCIPAL)
    resources = [
        Located(r.kind, f"{r.type.rsplit('/', 1)[-1]}/{r.name}", r.inputs(), r.sources)
        for r in deployment.resources
    ]
    template = deployment.template.file

    def elsewhere(loc: Loc) -> Source:  # a verdict across the template's resources
        return Source(loc, template, None)

    # Said once per line: Microsoft's multi-RG templates repeat one definition per group.
    return located_verdicts(resources, context, rules, elsewhere, name_related=False, once_per_line=True)


def _subscription(template: JsonDocument) -> str:
    return exported_subscription(template) or ids.NIL_GUID


def check_templates(
    paths: Sequence[Path], root: Path | None, settings: RuleSettings, tenant_id: str | None = None
) -> list[StackReport]:
    """One report per template given (with its parameters file when one follows it)."""
    try:
        documents = [read_json(p) for p in paths]
    except ConfigError as exc:
        return [
            StackReport(display_path(paths[0]), exc.problems[0].file, problems=exc.problems, kind="template")
        ]
    return check_documents(documents, root, settings, tenant_id)


def check_documents(
    documents: Sequence[JsonDocument],
    root: Path | None,
    settings: RuleSettings,
    tenant_id: str | None = None,
) -> list[StackReport]:
    """The reports for templates read, each followed by its parameters file if one was given."""
    try:
        templates = list(pairs(documents))
    except ConfigError as exc:
        return [StackReport(documents[0].file, exc.problems[0].file, problems=exc.problems, kind="template")]
    reports = []
    for template, parameters in templates:
        name = Path(template.file).name
        try:
            deployment = evaluate_template(
                template, parameters, None, _subscription(template), tenant_id=tenant_id
            )
            verdicts = check_deployment(deployment, root, settings)
        except ConfigError as exc:
            reports.append(StackReport(name, template.file, problems=exc.problems, kind="template"))
            continue
        reports.append(
            StackReport(
                name,
                template.file,
                verdicts=tuple(verdicts),
                kind="template",
            )
        )
    return reports


def is_template_path(path: str) -> bool:
    """`validate` hands `.json` paths here: ARM templates and their parameters files."""
    return path.lower().endswith(".json")


def check_template_paths(
    paths: Sequence[str], project_dir: Path | None, settings: RuleSettings, tenant_id: str | None = None
) -> list[StackReport]:
    """The reports for the `.json` paths among `validate`'s arguments (none: no reports). `tenant_id` is
    the customer's tenant (`--customer-tenant`), for templates that read subscription() or tenant()."""
    templates = [Path(p) for p in paths if is_template_path(p)]
    return check_templates(templates, project_dir, settings, tenant_id) if templates else []
