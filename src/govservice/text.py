r"""Text that is safe to show: on a terminal, and without applicants' numbers.

Two helpers every message and every line of text output goes through:

* :func:`terminal_safe` escapes what a terminal would obey rather than show:
  control characters (the escape sequences that recolour, move the cursor or
  retitle a window start with one), Unicode line separators, bidirectional
  overrides and lone surrogates.  A case id holding the escape character
  ``ESC [31m`` prints as ``\x1b[31m`` rather than turning the screen red.
* :func:`mask_personal` masks what looks like a resident identity number
  (居民身份证号: 18 characters, the last a digit or ``X``; or the 15 digits of
  the first generation) or a mainland mobile number (11 digits starting with
  ``1``), wherever it appears in a message, keeping the first and last four
  characters, as :func:`mask_id_number` does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

__all__ = [
    "MAX_ID",
    "MAX_TEXT",
    "N_",
    "Message",
    "mask_id_number",
    "mask_personal",
    "terminal_safe",
    "text_problem",
]


def N_(message: str) -> str:
    """Mark *message* for the catalog where it is made; it is translated where it is shown."""
    return message


@attrs.frozen
class Message:
    """A message in English with its values, to be shown in the reader's language.

    *template* is English, marked for the catalog with ``N_`` and holding
    named placeholders (``%(path)s``); *values* fill them.  ``str()`` is the
    English text; :func:`govservice.i18n.translate` gives it in a reader's
    language, translating the values that are messages themselves and
    leaving the others (file names, codes, the offending values) as they are.

    Example:
        >>> from govservice.text import Message
        >>> from govservice.i18n import translate
        >>> m = Message("no store at %(path)s", {"path": "hall.db"})
        >>> str(m), translate(m, "zh")
        ('no store at hall.db', '没有存储：hall.db')

    .. versionadded:: 0.1
    """

    template: str
    values: Mapping[str, Any] = attrs.field(factory=dict)

    def __str__(self) -> str:
        return self.template % self.values if self.values else self.template

    @classmethod
    def join(
        cls, parts: Sequence[Message | str], template: str = N_("%(first)s, %(rest)s")
    ) -> Message:
        """*parts* one after the other, separated by commas: ``line 3, case 'C1'``.

        *template* joins the first part to the rest: ``N_("%(first)s or %(rest)s")`` …
        """
        first = parts[0] if isinstance(parts[0], Message) else cls(parts[0])
        if len(parts) == 1:
            return first
        rest = cls.join(parts[1:], template)
        return cls(template, {"first": first, "rest": rest})


MAX_ID = 128
"""The longest id or code (a case, an event, a window, a matter), in characters."""
MAX_TEXT = 1_000
"""The longest name or free text of a record (an applicant's name, a reason), in characters."""

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
"""Characters a terminal obeys or cannot print: C0 controls but tab and newline, DEL, C1
controls, bidirectional marks and overrides, line and paragraph separators, lone surrogates."""

_PERSONAL = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?![0-9A-Za-z])", re.ASCII
)
"""An 18-character identity number, a 15-digit one, or an 11-digit mobile number, standing alone."""


_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""What an id or a name must not hold: :data:`_UNSAFE`, tabs and newlines too."""


def text_problem(value: str, limit: int = MAX_ID) -> Message | None:
    r"""What is wrong with *value* as an id or a name, or ``None`` if it is fine.

    An id or a name is printable text: not blank, at most *limit* characters
    (:data:`MAX_ID` for ids and codes, :data:`MAX_TEXT` for names and free
    text), without control characters (NUL, tab, newline, escape …),
    bidirectional overrides, line separators or lone surrogates.

    >>> from govservice.text import text_problem
    >>> text_problem("C-0001") is None
    True
    >>> str(text_problem("C2\x1b[31m"))
    "holds the control character '\\x1b' (character 3)"

    .. versionadded:: 0.1
    """
    if not value.strip():
        return Message(N_("is empty"))
    if len(value) > limit:
        return Message(
            N_("is %(length)s characters long (at most %(limit)s)"),
            {"length": f"{len(value):,}", "limit": f"{limit:,}"},
        )
    if value.isprintable():  # no character of Unicode's "Other" or "Separator" categories
        return None  # so none of _UNPRINTABLE (all of them are), and much faster to tell
    bad = _UNPRINTABLE.search(value)
    if bad is not None:
        return Message(
            N_("holds the control character %(character)r (character %(position)s)"),
            {"character": bad.group(), "position": bad.start() + 1},
        )
    return None


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape_json(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def terminal_safe(text: str, *, json: bool = False) -> str:
    r"""*text* with the characters a terminal would obey escaped; tabs and newlines kept.

    >>> from govservice.text import terminal_safe
    >>> terminal_safe("C2\x1b[2J\u202egnp.exe")
    'C2\\x1b[2J\\u202egnp.exe'

    Args:
        text: the text to print.
        json: *text* is JSON (from ``json.dumps``): escape as ``\u001b``, which
            leaves it valid JSON with the same value.

    .. versionadded:: 0.1
    """
    return _UNSAFE.sub(_escape_json if json else _escape, text)


def mask_id_number(value: str) -> str:
    """Mask an identity number for display, keeping its first and last four characters.

    >>> from govservice.text import mask_id_number
    >>> mask_id_number("11010519491231002X")
    '1101**********002X'

    The result has the length of *value*.  A string of eight characters or
    fewer is masked entirely, so that nothing of it is shown.  *value* is not
    validated: anything that might be an identity number can be masked.

    .. versionadded:: 0.1
    """
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def _mask(match: re.Match[str]) -> str:
    return mask_id_number(match.group())


def mask_personal(text: str) -> str:
    """*text* with identity and mobile numbers masked: ``1101**********002X``, ``1381***5678``.

    >>> from govservice.text import mask_personal
    >>> mask_personal("applicant '张三 11010519491231002X 13812345678'")
    "applicant '张三 1101**********002X 1381***5678'"

    Only numbers standing alone are masked: a number inside a longer code (a
    unified social credit code's letters around it) is left as it is.

    .. versionadded:: 0.1
    """
    return _PERSONAL.sub(_mask, text)
