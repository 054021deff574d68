"""Dependencies point one way (DESIGN, "Where the next systems go"):

    schools <- parents <- {conversations, messaging, absence, care} <- partnership

``reminders`` is used by all and imports none of them; the project package (settings, urls,
the Celery app, the site views, ``run_all``) sits on top and nothing imports it. Read from the
source with ``ast``, so an import inside a function (the usual way round a cycle) counts too, and
so does a model looked up by name (``apps.get_model("parents", ...)``).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# app -> the apps it may import. Siblings do not import each other: what one of them needs from
# another goes through an app below both, or through a registry the lower app offers.
LAYERS = {"reminders": 0, "schools": 1, "parents": 2, "partnership": 4}
SIBLINGS = ("conversations", "messaging", "absence", "care")
LAYERS.update(dict.fromkeys(SIBLINGS, 3))
APPS = set(LAYERS)

# The project package: modules of ``partnership`` that are not the partnership domain but the
# site itself. They may import any app; no app imports them.
PROJECT_MODULES = {
    "partnership.settings",
    "partnership.urls",
    "partnership.celery",
    "partnership.site_views",
    "partnership.run_all",
    "partnership.wsgi",
    "partnership.asgi",
}

# (importing module, imported app or module) -> why it may. Keep this empty where possible.
ALLOWED = {
    # The Celery app is found by its package, as Celery's own Django guide does it: loading
    # ``partnership`` loads the app, so ``shared_task`` in every app binds to it.
    ("partnership", "partnership.celery"): "Celery's app is loaded with the project package.",
}


def may_import(importer_app, imported_app):
    if importer_app == imported_app:
        return True
    if imported_app == "reminders":
        return True
    if importer_app == "reminders":
        return False
    if LAYERS[importer_app] == LAYERS[imported_app]:
        return False
    return LAYERS[importer_app] > LAYERS[imported_app]


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def source_files():
    for app in sorted(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_names(tree, module):
    """(line, dotted name) of every import and every model looked up by its app's label."""
    package = module if module in APPS else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield node.lineno, name
            for alias in node.names:
                yield node.lineno, f"{name}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in {"get_model", "_model"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value.split(".")[0]


def violations():
    found = []
    for path in source_files():
        module = module_name(path)
        app = module.split(".")[0]
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, name in imported_names(tree, module):
            target_app = name.split(".")[0]
            if target_app not in APPS:
                continue
            where = f"{path.relative_to(ROOT)}:{line}"
            project = next(
                (m for m in PROJECT_MODULES if name == m or name.startswith(m + ".")), None
            )
            if project and module not in PROJECT_MODULES and (module, project) not in ALLOWED:
                found.append(f"{where} imports the project package ({project})")
            elif module in PROJECT_MODULES:
                continue
            elif not may_import(app, target_app):
                found.append(f"{where} imports {name}, above {app}")
    return sorted(set(found))


def test_no_app_imports_one_above_it():
    assert violations() == []


def test_every_allowed_exception_is_still_needed():
    for (module, target), reason in ALLOWED.items():
        path = ROOT / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = ROOT / module.replace(".", "/") / "__init__.py"
        tree = ast.parse(path.read_text())
        names = {name for _line, name in imported_names(tree, module)}
        assert any(n == target or n.startswith(target + ".") for n in names), (module, reason)


@pytest.mark.parametrize(
    ("importer", "imported", "allowed"),
    [
        ("parents", "schools", True),
        ("schools", "parents", False),
        ("conversations", "messaging", False),
        ("reminders", "schools", False),
        ("schools", "reminders", True),
        ("partnership", "care", True),
    ],
)
def test_the_layers_read_as_the_design_says(importer, imported, allowed):
    assert may_import(importer, imported) is allowed


def test_an_upward_import_inside_a_function_is_found(tmp_path):
    source = (
        "def f():\n    from partnership.celery import app\n    apps.get_model('parents', 'X')\n"
    )
    names = {name for _line, name in imported_names(ast.parse(source), "schools.views")}
    assert {"partnership.celery", "parents"} <= names
