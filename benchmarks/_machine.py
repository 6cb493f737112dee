"""What the benchmarks print about the machine and the packages they ran with."""

from __future__ import annotations

import platform
from importlib import metadata


def version(dist: str) -> str:
    """The installed version of distribution *dist*, or ``not installed``."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_name() -> str:
    """``platform.processor()``, with the model name from /proc/cpuinfo when there is one."""
    name = platform.processor() or "(empty)"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return f"{name}; model name: {line.split(':', 1)[1].strip()}"
    except OSError:
        pass
    return name
