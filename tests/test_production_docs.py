"""The README's production section is what CI boots (.ci/production-boot), and the production
static storage accepts every file we ship."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BOOT = ROOT / ".ci" / "production-boot"
CI_ONLY = "# CI only"


def readme_block():
    """The lines of the first ``sh`` block under the README's production heading."""
    text = README.read_text()
    section = text[text.index("## Running on PostgreSQL + Redis (production)") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def readme_commands():
    return [line for line in readme_block() if not line.startswith("export ")]


def readme_variables():
    names = []
    for line in readme_block():
        if line.startswith("export "):
            names += re.findall(r"([A-Z_]+)=", line)
    return names


def boot_commands():
    """The script's lines that run a command of ours (``make`` or ``.venv/bin/...``)."""
    lines = [line.strip() for line in BOOT.read_text().splitlines()]
    return [line for line in lines if line.startswith((".venv/bin/", "make "))]


def test_ci_boot_runs_every_command_of_the_readme_in_its_order():
    commands = boot_commands()
    positions = []
    for command in readme_commands():
        found = [i for i, line in enumerate(commands) if line.startswith(command)]
        assert found, f"README's production step is not in .ci/production-boot: {command}"
        positions.append(found[0])
    assert positions == sorted(positions), "the steps run in another order than the README's"


def test_ci_boot_runs_nothing_the_readme_does_not_say_unless_marked():
    for line in boot_commands():
        assert CI_ONLY in line or any(line.startswith(c) for c in readme_commands()), (
            f".ci/production-boot runs a step the README does not name: {line}"
        )


def test_ci_boot_sets_every_variable_the_readme_sets():
    script = BOOT.read_text()
    assert readme_variables()
    for name in readme_variables():
        assert re.search(rf"(\b{name}=|\${{{name}:\?)", script), name
    assert re.search(r"\bDEBUG=0\b", script)


def test_ci_runs_the_production_boot_after_the_tests():
    run = (ROOT / ".ci" / "run").read_text().splitlines()
    assert "bash .ci/production-boot" in run
    assert run.index("bash .ci/production-boot") > run.index("make test")


def test_collectstatic_with_the_production_storage_passes(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "collectstatic-" + "k" * 50,
        "ALLOWED_HOSTS": "schouder.example",
        "STATIC_ROOT": str(tmp_path / "static"),
        "VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("STATIC_MANIFEST", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert re.search(
        r'"vendor/bootstrap/bootstrap\.rtl\.min\.css": "[^"]+\.[0-9a-f]{12}\.css"', manifest
    )
    assert list((tmp_path / "static" / "vendor" / "bootstrap").glob("bootstrap.min.*.css.gz"))
