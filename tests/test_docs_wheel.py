"""Every example of the documentation runs in a fresh environment with only the built wheel.

The wheel is built from the working tree (``pip wheel --no-deps``), installed with its
runtime dependencies and extras into a new virtual environment, and the examples run there,
outside the project, as ``tests/doc_examples.py`` runs them: nothing from ``docs/conf.py``,
``tests/data`` or the source tree is on hand.  It takes a minute or two, so it runs where
``CI`` is set (as ``.ci/run`` sets it) or with ``GOVSERVICE_TEST_WHEEL=1``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.wheel,
    pytest.mark.skipif(
        not (os.environ.get("CI") or os.environ.get("GOVSERVICE_TEST_WHEEL")),
        reason="builds and installs the wheel: set CI or GOVSERVICE_TEST_WHEEL=1",
    ),
]


def test_docs_examples_run_with_only_the_built_wheel(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOVSERVICE_", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"))
    }

    def run(*args: str | Path, cwd: Path = tmp_path) -> str:
        out = subprocess.run(
            [str(a) for a in args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=1500,
            check=False,
        )
        assert out.returncode == 0, out.stdout[-5000:] + out.stderr[-5000:]
        return out.stdout

    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT)
    (wheel,) = dist.glob("govservice-*.whl")
    venv = tmp_path / "fresh"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", f"{wheel}[pandas,charts,progress]")
    # the pages and the runner, away from the project
    docs = tmp_path / "docs"
    docs.mkdir()
    for page in (ROOT / "docs").glob("*.md"):
        shutil.copy(page, docs)
    shutil.copy(ROOT / "tests" / "doc_examples.py", tmp_path)
    where = run(python, "-c", "import govservice; print(govservice.__file__)")
    assert where.startswith(str(venv)), where  # the installed wheel, not the source tree
    out = run(python, tmp_path / "doc_examples.py", docs)
    assert out.strip().endswith(" 0 failed"), out[-5000:]
    passed = int(out.split()[-4])
    assert passed > 300  # every page's examples and the docstrings' ran
