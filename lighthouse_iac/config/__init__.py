"""Loading a customer stack's configuration: the project file, the stack file, and all their checks.

Configuration lives where Pulumi keeps it: the managing tenant in the project file (`Pulumi.yaml`,
project-level `config:`, inherited by every stack) and each customer in `stacks/Pulumi.<stack>.yaml`.
The CLI reads those files; the Pulumi program receives the same values from the engine. Both go through
`build`, so a stack is valid for one exactly when it is valid for the other.
"""

from .catalogue import catalogue_of, project_catalogue
from .located import PROJECT_FILE, PROJECT_KEYS, Entry, Loc, StackConfig
from .project import (
    Project,
    ProjectKeyError,
    check_stack_name,
    find_project_dir,
    from_engine,
    list_stacks,
    load_project,
    load_stack,
    stack_entries,
    stack_file,
)
from .stack import build

__all__ = [
    "PROJECT_FILE",
    "PROJECT_KEYS",
    "Entry",
    "Loc",
    "Project",
    "ProjectKeyError",
    "StackConfig",
    "build",
    "catalogue_of",
    "check_stack_name",
    "find_project_dir",
    "from_engine",
    "list_stacks",
    "load_project",
    "load_stack",
    "project_catalogue",
    "stack_entries",
    "stack_file",
]
