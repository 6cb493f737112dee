"""Chinese text in matplotlib charts: a CJK font where one is installed, and how to get one.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs, so station,
staff and matter names in Chinese are drawn as empty boxes unless the chart
asks for a font that has them.  :func:`use_cjk_fonts` gives every text of a
figure the families ``["sans-serif", <the first installed of CJK_FONTS>]``:
Latin text keeps the user's default font and Chinese falls back to the CJK
font, glyph by glyph (matplotlib ≥ 3.6).  When the figure has Chinese text and
no CJK font is installed it warns, naming the package to install.

matplotlib is imported only when a figure is given.

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

__all__ = [
    "CJK_FONTS",
    "INSTALL_CJK_FONT",
    "CJKFontWarning",
    "cjk_charts",
    "installed_cjk_font",
    "svg_text_params",
    "use_cjk_fonts",
]

CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
    "SimHei",
)
"""Fonts with simplified Chinese glyphs, the preferred first (Noto and Source Han Sans on
Linux, PingFang on macOS, Microsoft YaHei on Windows)."""

INSTALL_CJK_FONT = (
    "install a Chinese font — Debian/Ubuntu: apt install fonts-noto-cjk; Fedora: dnf install "
    "google-noto-sans-cjk-fonts; macOS and Windows have one (PingFang SC, Microsoft YaHei) — "
    "then restart Python (if matplotlib still does not see it, delete its font cache, "
    "matplotlib.get_cachedir())"
)
"""How to get a CJK font, as the warning says it."""

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")

_P = ParamSpec("_P")
_R = TypeVar("_R")


class CJKFontWarning(UserWarning):
    """A chart has Chinese text and no installed font has its glyphs.

    .. versionadded:: 0.1
    """


def installed_cjk_font() -> str | None:
    """The first of :data:`CJK_FONTS` that matplotlib finds, or ``None``."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in names), None)


def use_cjk_fonts(figure: Any) -> Any:
    """Give every text of *figure* a CJK fallback font; warn if it needs one that is missing.

    Returns the figure.  Ticks matplotlib adds when drawing copy the first
    tick's font, so they have it too.

    Warns:
        CJKFontWarning: the figure has Chinese text and no CJK font is
            installed (:data:`INSTALL_CJK_FONT` says how to get one).
    """
    from matplotlib.text import Text

    texts = figure.findobj(Text)
    font = installed_cjk_font()
    if font is None:
        if any(_CJK.search(t.get_text()) for t in texts):
            warnings.warn(
                f"this chart has Chinese text and matplotlib finds no font for it (looked for "
                f"{', '.join(CJK_FONTS)}): {INSTALL_CJK_FONT}",
                CJKFontWarning,
                stacklevel=3,
            )
        return figure
    for t in texts:
        t.set_fontfamily(["sans-serif", font])
    return figure


def svg_text_params() -> dict[str, Any]:
    """Matplotlib settings for SVG whose text the browser draws, Chinese included.

    Text stays text (``svg.fonttype = "none"``), its font list DejaVu Sans for
    Latin text, then :data:`CJK_FONTS`, then ``sans-serif``: the browser takes
    the first it has for each character.  Use with ``matplotlib.rc_context``.
    """
    return {
        "svg.fonttype": "none",
        "font.family": ["sans-serif"],
        "font.sans-serif": ["DejaVu Sans", *CJK_FONTS],
    }


def cjk_charts(draw: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a function that returns a figure: its texts get :func:`use_cjk_fonts`."""

    @functools.wraps(draw)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        return use_cjk_fonts(draw(*args, **kwargs))  # type: ignore[no-any-return]

    return wrapper
