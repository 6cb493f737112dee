"""`govservice new-plugin`: the generated package installs and passes its tests as generated."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from govservice import GovServiceError
from govservice.scaffold import PluginNames, new_plugin

ROOT = Path(__file__).resolve().parent.parent


def test_names() -> None:
    n = PluginNames.from_name("My County")
    assert (n.distribution, n.module, n.entry_point) == (
        "govservice-my-county",
        "govservice_my_county",
        "my_county",
    )
    assert PluginNames.from_name("govservice-xian").slug == "xian"
    with pytest.raises(GovServiceError, match="start"):
        PluginNames.from_name("123")


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    new_plugin("x", tmp_path)
    with pytest.raises(GovServiceError, match="already exists"):
        new_plugin("x", tmp_path)


def test_generated_plugin_installs_and_passes_its_tests(tmp_path: Path) -> None:
    """A fresh virtual environment: install govservice and the new plugin, run its tests."""
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "govservice",
            "new-plugin",
            "demo-county",
            "--directory",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    plugin = tmp_path / "govservice-demo-county"
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSERVICE_")}
    env.pop("PYTHONPATH", None)

    def run(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(py), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )

    for step in (
        ("-m", "pip", "install", "-q", str(ROOT)),
        ("-m", "pip", "install", "-q", "-e", f"{plugin}[test]"),
    ):
        out = run(*step)
        assert out.returncode == 0, out.stdout + out.stderr
    tests = run("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=plugin)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "3 passed" in tests.stdout
    listed = run("-m", "govservice", "plugins")
    assert "demo_county 0.1.0 — 地区" in listed.stdout and "opening_hours" in listed.stdout
    assert "已安装、未应用" in listed.stdout
