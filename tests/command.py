"""Running ``govservice`` as a user does: a real subprocess of this interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def gs(
    *args: str, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m govservice ARGS`` in *cwd*: its exit status, standard output and error."""
    return subprocess.run(
        [sys.executable, "-m", "govservice", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        cwd=cwd,
    )
