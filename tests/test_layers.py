"""The layers of the house (docs/architecture.md, "Layers"): no module imports one above it.

Bottom to top: the ``cocreate`` helpers and ``citizens``; ``moderation``; the content apps;
``opendata``. The ``demo`` app, the project's URL and settings modules, tests and migrations stand
above every layer and are not checked. A module depends on another app when it imports it
(``import`` or ``from ... import``, at the top or inside a function) or names one of its models
in a string (``"services.Report"``), which is how ``apps.get_model()`` and ``_meta.label`` reach a
model without an import. An app below that must act on content above it offers a registry the
content app fills at start-up (``citizens.personal_data``, ``cocreate.photo_serving``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS = (
    ("helpers and accounts", ("cocreate", "citizens")),
    ("moderation", ("moderation",)),
    ("content", ("services", "proposals", "operators")),
    ("open data", ("opendata",)),
)
LAYER_OF = {app: number for number, (_name, apps) in enumerate(LAYERS) for app in apps}
ABOVE_ALL = {"demo"}  # apps at the top: they may import every layer, and nothing imports them
NOT_CHECKED = {"cocreate.urls", "cocreate.api_urls", "cocreate.settings"}  # they wire every app together
MODEL_LABEL = re.compile(rf"^({'|'.join(LAYER_OF)})\.[A-Z]\w*$")

# Upward imports accepted on purpose, as (module, app) with a comment giving the reason; there
# are none. test_every_allowed_upward_import_is_still_there fails on an entry that no longer matches.
ALLOWED: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def checked_modules() -> dict[str, Path]:
    """Every module of the layered apps but tests, migrations and the URL and settings modules."""
    modules = {}
    for app in LAYER_OF:
        for path in sorted((ROOT / app).rglob("*.py")):
            if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
                continue
            name = module_name(path)
            if name not in NOT_CHECKED:
                modules[name] = path
    return modules


def dependencies(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """The names the module imports, absolute, and the model labels it spells out."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            found.append(".".join([*parts, node.module] if node.module else parts))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and MODEL_LABEL.match(node.value):
            found.append(node.value)
    return found


def upward(module: str, source: str, *, is_package: bool = False) -> list[tuple[str, str, str]]:
    """(module, imported app, explanation) for each import of a layer above the module's."""
    own = LAYER_OF[module.partition(".")[0]]
    lines = []
    for imported in dependencies(module, source, is_package=is_package):
        app = imported.partition(".")[0]
        if app in ABOVE_ALL or LAYER_OF.get(app, -1) > own:
            layer = LAYER_OF.get(app, len(LAYERS))
            name = LAYERS[layer][0] if layer < len(LAYERS) else "top"
            lines.append(
                (module, app, f"{module} -> {imported} (layer {layer} {name} above layer {own} {LAYERS[own][0]})")
            )
    return lines


def violations() -> list[tuple[str, str, str]]:
    found = []
    for module, path in checked_modules().items():
        found.extend(upward(module, path.read_text(), is_package=path.name == "__init__.py"))
    return found


def test_no_module_imports_a_layer_above_it():
    found = [line for module, app, line in violations() if (module, app) not in ALLOWED]
    assert not found, "Upward imports (docs/architecture.md, Layers):\n" + "\n".join(sorted(set(found)))


def test_every_allowed_upward_import_is_still_there():
    stale = ALLOWED - {(module, app) for module, app, _line in violations()}
    assert not stale, f"Remove from ALLOWED, the import is gone: {sorted(stale)}"


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(LAYER_OF) | ABOVE_ALL


def test_the_check_sees_imports_and_model_labels_from_above():
    source = (
        "from services.models import Report\n"
        "import citizens.models\n"
        "from proposals import actions\n"
        "def later():\n"
        "    import opendata.builder\n"
        "    return apps.get_model('services.ReportPhoto'), 'services.report is not a label'\n"
    )
    assert [line for _module, _app, line in upward("citizens.example", source)] == [
        "citizens.example -> services.models (layer 2 content above layer 0 helpers and accounts)",
        "citizens.example -> proposals (layer 2 content above layer 0 helpers and accounts)",
        "citizens.example -> opendata.builder (layer 3 open data above layer 0 helpers and accounts)",
        "citizens.example -> services.ReportPhoto (layer 2 content above layer 0 helpers and accounts)",
    ]


def test_the_check_lets_a_module_import_its_own_layer_and_below_and_resolves_relative_imports():
    source = "from citizens.models import User\nfrom moderation import rules\nfrom proposals.models import Proposal\n"
    assert upward("services.example", source) == []
    assert upward("moderation.example", "from ..services import models\n") == [
        ("moderation.example", "services", "moderation.example -> services (layer 2 content above layer 1 moderation)")
    ]
    assert upward("citizens.example", "from demo import x\n")[0][2].endswith(
        "(layer 4 top above layer 0 helpers and accounts)"
    )
