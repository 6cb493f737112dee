"""Validators that tell the usual value at once, with the test in source the fast readers inline.

A :class:`UsualValidator` holds a quick test of a value ``v`` as Python source
(:attr:`~UsualValidator.usual`): what passes it is valid, and the validator
returns at once; anything else goes to the full check, which names the
problem.  A :class:`UsualConverter` likewise holds the conversion of the
usual value as source, ``None`` (or an exception) for any other; a field
names it in its metadata under :data:`USUAL`.  The fast readers of events
(``govservice.cases._readers``) inline the same source in the code they
generate, so a rule is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["USUAL", "UsualConverter", "UsualValidator", "usual_text"]

USUAL = "govservice.usual"
"""The key of a field's metadata naming the :class:`UsualConverter` its converter calls."""


def usual_text(limit: int) -> str:
    """The quick test of printable text of at most *limit* characters in ``v``, as source.

    What passes it, :func:`~govservice.text.text_problem` finds nothing wrong
    with: a ``str``, not longer than *limit*, every character printable, not blank.
    """
    return f"type(v) is str and len(v) <= {limit} and v.isprintable() and v.strip()"


class UsualValidator:
    """An attrs validator: *usual* (source, testing ``v``) passes a value at once, else *full*.

    *usual* tests the value's type too (``type(v) is str and …``): what it
    passes is a value of the field's type.  *full* is called as the validator
    (instance, attribute, value) and raises for a value it refuses.  *usual*
    may use only builtins: it runs in the generated readers' namespace too.
    """

    __slots__ = ("full", "quick", "usual")

    def __init__(self, usual: str, full: Callable[[Any, Any, Any], None]) -> None:
        self.usual = usual
        self.full = full
        self.quick: Callable[[Any], object] = eval(compile(f"lambda v: {usual}", "<usual>", "eval"))

    def __call__(self, instance: Any, attribute: Any, value: Any) -> None:
        if not self.quick(value):
            self.full(instance, attribute, value)


class UsualConverter:
    """An attrs converter: *usual* (source: the converted ``v``, or ``None``) at once, else *full*.

    *usual* may raise for a value that is not usual, as *full* does for one it
    refuses; it may use builtins and *names* (which the generated readers
    take into their namespace).
    """

    __slots__ = ("full", "names", "quick", "usual")

    def __init__(self, usual: str, full: Callable[[Any], Any], names: dict[str, Any]) -> None:
        self.usual = usual
        self.full = full
        self.names = names
        self.quick: Callable[[Any], Any] = eval(
            compile(f"lambda v: {usual}", "<usual>", "eval"), dict(names)
        )

    def __call__(self, value: Any) -> Any:
        try:
            converted = self.quick(value)
        except (TypeError, ValueError):
            converted = None
        return self.full(value) if converted is None else converted
