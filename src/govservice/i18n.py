"""Reports in the reader's language: message catalogs, templates, numbers, names.

Reports and briefings are Chinese by default and English on request
(``language="en"``, ``govservice report --lang en`` or the centre file's
``language``).  Their sentences and headings are gettext messages, written in
English in the code and translated in the package's catalog
(``govservice/locale/zh/LC_MESSAGES/govservice.po``, read with Babel when first
needed); their layout is Jinja2 templates (``govservice/templates``), HTML
escaped by Jinja2's autoescaping and Markdown by :func:`md_escape` on every
value a template prints.  Numbers and dates follow the reader's convention
(Babel's CLDR data): 2026年5月, 98.5%, 1,234; money in 万元 in Chinese.

Windows, staff and matters are shown by name with their code —
企业登记窗口（W02）, 王建华（S107）— and units by name (:class:`Names`).

Example:
    >>> from datetime import date
    >>> from govservice.i18n import month, percent, translations
    >>> translations("zh").gettext("Overview"), month("2026-05", "zh"), month("2026-05", "en")
    ('一、基本情况', '2026年5月', 'May 2026')
    >>> percent(0.985, "zh")
    '98.5%'

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import gettext
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import attrs
import jinja2
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup

from govservice.centre_file import LANGUAGES
from govservice.exceptions import N_, GovServiceError, Message
from govservice.fonts import CJK_FONTS
from govservice.model import Catalogue
from govservice.provenance import Provenance

__all__ = [
    "N_",
    "Names",
    "Verbatim",
    "day",
    "md_escape",
    "md_table",
    "month",
    "number",
    "percent",
    "render",
    "translate",
    "translations",
    "yuan",
]

_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}


def _check(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)} (got {language!r})")
    return language


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The message catalog of *language* (English is the messages themselves).

    Raises:
        ValueError: not one of the report languages.
    """
    if _check(language) == "en":
        return gettext.NullTranslations()
    po = resources.files("govservice") / "locale" / language / "LC_MESSAGES" / "govservice.po"
    catalog = read_po(io.StringIO(po.read_text(encoding="utf-8")), locale=_LOCALES[language])
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


def translate(message: Message | str, language: str) -> str:
    """*message* in *language*: its template translated, then filled with its values.

    Values that are messages, or govservice errors, are translated too; the
    others are shown as they are.  A plain string is translated if the
    catalog has it.

    Raises:
        ValueError: not one of the report languages.
    """
    if isinstance(message, str):
        message = Message(message)
    template = translations(language).gettext(message.template)
    if not message.values:
        return template
    values = {
        k: translate(v.message if isinstance(v, GovServiceError) else v, language)
        if isinstance(v, (Message, GovServiceError))
        else v
        for k, v in message.values.items()
    }
    return template % values


# ---- numbers, dates, money ----------------------------------------------------------------


def number(value: int | Decimal | float | None, language: str) -> str:
    """A count or amount with the reader's digit grouping (``–`` for none)."""
    if value is None:
        return "–"
    return format_decimal(value, locale=_LOCALES[language])


def percent(value: Decimal | float | None, language: str) -> str:
    """A share as a percentage with one decimal (``–`` for none): ``98.5%``."""
    if value is None:
        return "–"
    return format_percent(value, "#,##0.0%", locale=_LOCALES[language])


def month(label: str, language: str) -> str:
    """A month ``"2026-05"`` as the reader writes it: ``2026年5月``, ``May 2026``."""
    year, m = (int(p) for p in label.split("-"))
    return format_skeleton("yMMMM", date(year, m, 1), locale=_LOCALES[language])


def day(value: date, language: str, *, weekday: bool = False) -> str:
    """A date as the reader writes it: ``2026年5月29日``, ``29 May 2026``.

    With *weekday*: ``2026年5月29日星期五``, ``Friday, 29 May 2026``.
    """
    return format_date(value, "full" if weekday else "long", locale=_LOCALES[language])


def yuan(value: Decimal, language: str) -> str:
    """Money: ``1,115.80万元`` or ``325.00元``; ``11.16 million yuan`` or ``325.00 yuan``."""
    loc = _LOCALES[language]
    if language == "zh":
        if abs(value) >= 10_000:
            return format_decimal(value / 10_000, "#,##0.00", locale=loc) + "万元"
        return format_decimal(value, "#,##0.00", locale=loc) + "元"
    if abs(value) >= 1_000_000:
        return format_decimal(value / 1_000_000, "#,##0.00", locale=loc) + " million yuan"
    return format_decimal(value, "#,##0.00", locale=loc) + " yuan"


# ---- names --------------------------------------------------------------------------------


@attrs.frozen
class Names:
    """How windows, staff, matters and units are named to readers.

    Windows, staff and matters by name with their code, units by name; a code
    the catalogue does not know is shown as it is.

    .. versionadded:: 0.1
    """

    units: Mapping[str, str] = attrs.field(factory=dict)
    windows: Mapping[str, str] = attrs.field(factory=dict)
    staff: Mapping[str, str] = attrs.field(factory=dict)
    matters: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def of(cls, catalogue: Catalogue | None) -> Names:
        """The names of *catalogue*'s units, windows, staff and matters."""
        if catalogue is None:
            return cls()
        return cls(
            {u.code: u.name for u in catalogue.units.values()},
            {w.code: w.name for w in catalogue.windows.values()},
            {s.code: s.name for s in catalogue.staff.values()},
            {m.code: m.name for m in catalogue.matters.values()},
        )

    @staticmethod
    def _with_code(name: str | None, code: str, language: str) -> str:
        if not name or name == code:
            return code
        return f"{name}（{code}）" if language == "zh" else f"{name} ({code})"

    def unit(self, code: str, language: str = "zh") -> str:
        """A unit by its name."""
        return self.units.get(code) or code

    def window(self, code: str, language: str = "zh") -> str:
        """A window by name and code: 企业登记窗口（W02）."""
        return self._with_code(self.windows.get(code), code, language)

    def member(self, code: str, language: str = "zh") -> str:
        """A staff member by name and code: 王建华（S107）."""
        return self._with_code(self.staff.get(code), code, language)

    def matter(self, code: str, language: str = "zh") -> str:
        """A matter by name and code: 食品经营许可（MR-001）."""
        return self._with_code(self.matters.get(code), code, language)

    def subject(self, kind: str, code: str, language: str = "zh") -> str:
        """A window (``kind="window"``) or staff member by name and code."""
        return self.window(code, language) if kind == "window" else self.member(code, language)


# ---- Markdown -----------------------------------------------------------------------------


class Verbatim(str):
    """Text that is already Markdown: templates print it as it is."""

    __slots__ = ()


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!#&])")
_MD_LEADING = re.compile(r"^(\d*)([+\-=.)])(?=\s|$)")


def md_escape(value: Any) -> str:
    r"""*value* as Markdown text that stays text: no heading, link, HTML or table cell break.

    Line breaks and control characters (terminal escapes too) become spaces;
    Markdown's and HTML's special characters are backslash-escaped.
    :class:`Verbatim` text passes unchanged.

    Example:
        >>> from govservice.i18n import md_escape
        >>> print(md_escape("C2\n# Injected heading\n[click](javascript:alert(1))"))
        C2 \# Injected heading \[click\](javascript:alert(1))
        >>> print(md_escape("U<img src=x onerror=alert(2)>"))
        U\<img src=x onerror=alert(2)\>
    """
    if isinstance(value, Verbatim):
        return str(value)
    text = "" if value is None else str(value)
    text = _MD_SPECIAL.sub(r"\\\1", _CONTROL.sub(" ", text))
    return _MD_LEADING.sub(r"\1\\\2", text)


def md_table(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Verbatim:
    """A Markdown table, every cell escaped (:func:`md_escape`)."""
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return Verbatim("\n".join(lines))


# ---- templates ----------------------------------------------------------------------------


@functools.cache
def _environment(language: str, markdown: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("govservice", "templates"),
        extensions=["jinja2.ext.i18n"],
        autoescape=not markdown,
        finalize=md_escape if markdown else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    bound: dict[str, Callable[..., str]] = {
        "number": number,
        "percent": percent,
        "month": month,
        "day": day,
        "yuan": yuan,
    }
    for name, func in bound.items():
        env.filters[name] = functools.partial(func, language=language)
    env.filters["verbatim"] = Verbatim
    env.globals["table"] = md_table
    env.globals["css_fonts"] = Markup(", ".join(f'"{font}"' for font in CJK_FONTS))
    return env


def render(
    template: str, language: str, provenance: Provenance | None = None, **context: Any
) -> str:
    """Render the package template *template* (``report.md``, ``briefing.html`` …) in *language*.

    Templates ending in ``.html`` are HTML-escaped, those ending in ``.md``
    Markdown-escaped (:func:`md_escape`), value by value.  The template's
    ``footer`` is *provenance* in *language* and in the template's format
    (empty without one).

    Raises:
        ValueError: not one of the report languages.
    """
    markdown = template.endswith(".md")
    env = _environment(_check(language), markdown)
    footer: str = Verbatim() if markdown else Markup()
    if provenance is not None:
        p = attrs.evolve(provenance, language=language)
        footer = Verbatim(p.to_markdown()) if markdown else Markup(p.to_html())
    return env.get_template(template).render(language=language, footer=footer, **context)
