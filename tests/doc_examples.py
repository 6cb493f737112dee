"""Run every example of the documentation as written: ``python doc_examples.py DOCS_DIR``.

The ``{doctest}`` blocks of each page run in order in one namespace of their
own (as Sphinx runs a page), and the examples in the docstrings of every
module of the installed govservice each in an empty namespace: nothing is
imported for them.  The modules of ``govservice.testing`` (pytest fixtures
and hypothesis strategies for plugin authors) need the test tools and are
left out.  Prints one line per failure and a closing ``N passed, N failed``
line; exits 1 if any example failed.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import sys
import tempfile
from pathlib import Path

FLAGS = doctest.ELLIPSIS
_BLOCK = re.compile(r"^```\{doctest\}\n(.*?)^```", re.M | re.S)
_OPTION = re.compile(r"^:options:\s*(.*)$", re.M)


def page_tests(page: Path) -> doctest.DocTest:
    """One doctest of every ``{doctest}`` block of *page*, in order."""
    parts = []
    for block in _BLOCK.findall(page.read_text(encoding="utf-8")):
        flags = " ".join(f"+{o.strip().lstrip('+')}" for m in _OPTION.findall(block)
                         for o in m.split(","))  # fmt: skip
        body = _OPTION.sub("", block)
        if flags:  # the block's options on each of its examples
            body = re.sub(r"^(>>> .*)$", rf"\1  # doctest: {flags}", body, flags=re.M)
        parts.append(body)
    return doctest.DocTestParser().get_doctest("\n".join(parts), {}, page.name, str(page), 0)


def module_tests() -> list[doctest.DocTest]:
    """The docstring examples of every module of govservice, each with empty globals."""
    import govservice

    tests = []
    finder = doctest.DocTestFinder()
    for info in pkgutil.walk_packages(govservice.__path__, "govservice."):
        if info.name.endswith("__main__") or info.name.startswith("govservice.testing"):
            continue
        module = importlib.import_module(info.name)
        tests += [t for t in finder.find(module, globs={}) if t.examples]
    return tests


def main(docs: Path) -> int:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    tests = [page_tests(p) for p in sorted(docs.glob("*.md"))] + module_tests()
    failed = passed = 0
    with tempfile.TemporaryDirectory() as work:  # examples that write files write here
        import os

        os.chdir(work)
        for test in tests:
            if not test.examples:
                continue
            result = runner.run(test)
            failed += result.failed
            passed += result.attempted - result.failed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
