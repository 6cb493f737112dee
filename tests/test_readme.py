"""The README's first command, run as a new user runs it, in a fresh virtual environment."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def first_command() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)\n```", text, re.S)
    assert block is not None
    return block.group(1).splitlines()[0]


def test_readme_first_command(tmp_path: Path) -> None:
    """Install and run the demo from a copy of the project, then read the report it names.

    Then, in the same environment (the sample county installed), the demo's centre file
    reports again without any option, and ``govservice new-plugin`` makes a plugin whose
    tests pass.
    """
    command = first_command()
    assert command.startswith("python3 -m venv .venv") and command.endswith("govservice demo")
    project = tmp_path / "project"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(project)], check=True)
    # the clone has what is committed; the test checks the working tree's package and README
    subprocess.run(
        [
            "cp",
            "-r",
            str(ROOT / "src"),
            str(ROOT / "plugins"),
            str(ROOT / "README.md"),
            str(ROOT / "pyproject.toml"),
            str(project),
        ],
        check=True,
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOVSERVICE_", "VIRTUAL_ENV", "PYTHONPATH"))
    }
    run = subprocess.run(
        command,
        shell=True,
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = re.search(r"半年工作报告：(\S+\.json)", run.stdout)
    assert report is not None, run.stdout
    import json

    data = json.loads((project / report.group(1)).read_text(encoding="utf-8"))
    assert data["centre"] == "示范县政务服务中心"
    assert data["total"]["received"] > 20_000 and data["total"]["decided"] > 0
    assert len(data["red_flags"]) == 6 and data["coverage"]["unstationed_units"]
    html = project / report.group(1).replace(".json", ".html")
    assert "data:image/svg+xml;base64," in html.read_text(encoding="utf-8")

    def run_in(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        out = subprocess.run(
            args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
        )
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
        return out

    bin_ = project / ".venv" / "bin"
    demo = project / "govservice-demo"
    again = run_in(demo, str(bin_ / "govservice"), "report", "--from", "2026-06-01", "--to",
                   "2026-06-30", "--no-assess")  # fmt: skip
    assert "区域插件链: sample_county" in again.stdout and again.stderr == ""
    run_in(project, str(bin_ / "govservice"), "new-plugin", "aa-county")
    plugin = project / "govservice-aa-county"
    run_in(project, str(bin_ / "pip"), "install", "-q", "-e", f"{plugin}[test]")
    tests = run_in(plugin, str(bin_ / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert "3 passed" in tests.stdout
