"""Running ``govservice`` as a user does: a real subprocess of this interpreter."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from collections.abc import Mapping
from pathlib import Path


def gs(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``python -m govservice ARGS`` in *cwd* (and *env*): its exit status, output and error."""
    return subprocess.run(
        [sys.executable, "-m", "govservice", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        cwd=cwd,
        env=env,
    )


def on_a_terminal(args: list[str]) -> bytes:
    """What the command *args* writes to standard error when it is a terminal (80 columns)."""
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    run = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=secondary)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    assert run.wait(timeout=300) == 0, seen
    os.close(main)
    return seen
