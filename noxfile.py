"""Development sessions: ``nox`` runs tests, lint, typecheck and docs (what CI runs)."""

from __future__ import annotations

from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "typecheck", "docs", "tests"]
nox.options.error_on_missing_interpreters = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
ROOT = Path(__file__).parent


def install_groups(session: nox.Session, *groups: str) -> None:
    session.install("--upgrade", "pip")
    deps = [d for g in groups for d in nox.project.dependency_groups(PYPROJECT, g)]
    session.install("-e", ".", *deps)


PLUGINS = sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite and every plugin's, with the peer packages for cross-checks."""
    install_groups(session, "tests", "peers")
    for plugin in PLUGINS:
        session.install("-e", str(plugin))
    paths = ["tests", *(str(p / "tests") for p in PLUGINS if (p / "tests").is_dir())]
    session.run("pytest", *(session.posargs or paths))


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and import order."""
    install_groups(session, "lint")
    paths = ["src", "tests", "benchmarks", "plugins", "docs/conf.py", "noxfile.py"]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package."""
    install_groups(session, "typing")
    for plugin in PLUGINS:
        session.install("-e", str(plugin))
    session.run("mypy")
    for plugin in PLUGINS:
        session.run("mypy", str(plugin / "src"))


@nox.session
def docs(session: nox.Session) -> None:
    """Sphinx, warnings as errors; then the doctests of the docs."""
    install_groups(session, "docs")
    out = ROOT / "docs" / "_build"
    session.run("sphinx-build", "-n", "-W", "--keep-going", "-b", "html", "docs", str(out / "html"))
    session.run(
        "sphinx-build", "-n", "-W", "--keep-going", "-b", "doctest", "docs", str(out / "doctest")
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks against the peers (prints tables; asserts nothing about time)."""
    install_groups(session, "bench")
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
