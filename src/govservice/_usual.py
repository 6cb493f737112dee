"""Validators that tell the usual value at once, with the test in source the fast readers inline.

A :class:`UsualValidator` holds a quick test of a value ``v`` as Python source
(:attr:`~UsualValidator.usual`): what passes it is valid, and the validator
returns at once; anything else goes to the full check, which names the
problem.  The fast readers of events (``govservice.cases._readers``) inline
the same source in the code they generate, so a rule is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["UsualValidator", "usual_text"]


def usual_text(limit: int) -> str:
    """The quick test of printable text of at most *limit* characters in ``v``, as source.

    What passes it, :func:`~govservice.text.text_problem` finds nothing wrong
    with: a ``str``, not longer than *limit*, every character printable, not blank.
    """
    return f"type(v) is str and len(v) <= {limit} and v.isprintable() and bool(v.strip())"


class UsualValidator:
    """An attrs validator: *usual* (source, testing ``v``) passes a value at once, else *full*.

    *full* is called as the validator (instance, attribute, value) and raises
    for a value it refuses.  *usual* may use only builtins: it runs in the
    generated readers' namespace too.
    """

    __slots__ = ("full", "quick", "usual")

    def __init__(self, usual: str, full: Callable[[Any, Any, Any], None]) -> None:
        self.usual = usual
        self.full = full
        self.quick: Callable[[Any], bool] = eval(compile(f"lambda v: {usual}", "<usual>", "eval"))

    def __call__(self, instance: Any, attribute: Any, value: Any) -> None:
        if not self.quick(value):
            self.full(instance, attribute, value)
