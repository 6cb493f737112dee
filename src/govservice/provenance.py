"""Who made an answer: the centre, its region chain, its plugins and its catalogue.

Reports and briefings end with a :class:`Provenance`, so a reader can tell
which county rules, in which versions, counted the figures, and on which
catalogue.  :meth:`ServiceCenter.provenance
<govservice.center.ServiceCenter.provenance>` builds one.
"""

from __future__ import annotations

import html
from typing import Any

import attrs

from govservice.exceptions import chain_text

__all__ = ["Provenance"]

_LABELS = {
    "zh": ("办理中心", "区域插件链", "插件及版本", "事项目录指纹", "中心配置文件"),
    "en": (
        "Centre",
        "Region chain",
        "Plugins and versions",
        "Catalogue fingerprint",
        "Centre file",
    ),
}


@attrs.frozen
class Provenance:
    r"""The centre that produced a report, and what shaped its answers.

    Attributes:
        centre: the centre's name.
        region: the region chain, general to local, each level its plugins' names.
        plugins: ``(name, version)`` of govservice and of every plugin applied
            (the chain's and the generic ones; the built-in defaults are
            govservice's own).
        catalogue: the fingerprint of the catalogue counted with
            (:meth:`Catalogue.fingerprint <govservice.model.Catalogue.fingerprint>`),
            or ``None`` without one.
        source: the centre file the centre was read from, if any.
        language: the language of the labels (``"zh"`` or ``"en"``).

    Example:
        >>> from govservice.provenance import Provenance
        >>> p = Provenance("示范县政务服务中心", (("sample_county",),),
        ...                (("govservice", "0.1"), ("sample_county", "0.1.0")), "3f2a9c01d4e5")
        >>> print("\n".join(p.lines()))
        办理中心: 示范县政务服务中心
        区域插件链: sample_county
        插件及版本: govservice 0.1, sample_county 0.1.0
        事项目录指纹: 3f2a9c01d4e5

    .. versionadded:: 0.1
    """

    centre: str
    region: tuple[tuple[str, ...], ...]
    plugins: tuple[tuple[str, str | None], ...]
    catalogue: str | None
    source: str | None = None
    language: str = "zh"

    def lines(self) -> list[str]:
        """The footer's lines: ``label: value``, in the centre's language."""
        labels = _LABELS.get(self.language, _LABELS["zh"])
        values = [
            self.centre,
            chain_text(self.region)
            if self.region or self.language != "zh"
            else "无（全国默认规则）",
            ", ".join(f"{name} {version or '-'}" for name, version in self.plugins),
            self.catalogue or "–",
        ]
        if self.source:
            values.append(self.source)
        return [f"{label}: {value}" for label, value in zip(labels, values, strict=False)]

    def to_dict(self) -> dict[str, Any]:
        """The provenance as JSON-ready data."""
        return {
            "centre": self.centre,
            "region": [list(level) for level in self.region],
            "plugins": [{"name": n, "version": v} for n, v in self.plugins],
            "catalogue_fingerprint": self.catalogue,
            "centre_file": self.source,
        }

    def to_markdown(self) -> str:
        """The footer as Markdown: a rule, then one line each."""
        return "\n".join(["---", "", *(f"{line}  " for line in self.lines())])

    def to_html(self) -> str:
        """The footer as an HTML ``<footer>`` element."""
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines())
        return f"<footer class=provenance><ul>{items}</ul></footer>"
