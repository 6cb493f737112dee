"""Progress of long work: one ``progress`` argument, the same everywhere.

Every function that can take long — :meth:`EventStore.import_jsonl
<govservice.storage.EventStore.import_jsonl>` and :meth:`~govservice.storage.EventStore.check`,
:meth:`ServiceCenter.report <govservice.center.ServiceCenter.report>`,
:func:`~govservice.sim.replicate`, :func:`~govservice.sim.sweep` and
``govservice.demo.run_demo`` — takes ``progress``, a :data:`Progress`:

* ``False`` (the default everywhere): nothing is shown.
* ``True``: a tqdm bar (``tqdm.auto``: a widget in a notebook, text on standard
  error in a terminal) when tqdm is installed (``pip install
  'govservice[progress]'``); without it, nothing, and no error.
* a callable: called with ``(done, total)`` after every step.

The command line passes ``True`` when standard error is a terminal, so a piped
or redirected command stays quiet.

Example:
    >>> from govservice.progress import tracker
    >>> seen = []
    >>> with tracker(lambda done, total: seen.append((done, total)), 2, "runs") as step:
    ...     step()
    ...     step()
    >>> seen
    [(1, 2), (2, 2)]

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias

__all__ = ["Progress", "tracker"]

Progress: TypeAlias = bool | Callable[[int, int], object]
"""``False``, ``True`` (a tqdm bar if tqdm is installed) or a callable given ``(done, total)``."""


@contextmanager
def tracker(progress: Progress, total: int, unit: str, desc: str | None = None) -> Iterator[Any]:
    """A step function for *total* steps of *unit*, shown as *progress* asks.

    Args:
        progress: see :data:`Progress`.
        total: the number of steps.
        unit: what a step is (``"runs"``, ``"cases"``).
        desc: the bar's label.

    Yields:
        A function to call once per step done (or with the number of steps done at once).
    """
    if callable(progress):
        done = [0]

        def call(n: int = 1) -> None:
            done[0] += n
            progress(done[0], total)

        yield call
        return
    bar = _bar(total, unit, desc) if progress else None
    if bar is None:
        yield lambda n=1: None
        return
    try:
        yield bar.update
    finally:
        bar.close()


def _bar(total: int, unit: str, desc: str | None) -> Any:
    """A tqdm bar, or ``None`` without tqdm (the ``progress`` extra)."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit=unit, desc=desc, leave=False)
