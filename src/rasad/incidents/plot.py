"""The trends chart: incidents per period for the areas with most incidents, ready for a report.

`plot_trends(trends, path)` draws a `Trends` with matplotlib (PNG or SVG by the file's suffix): one
line per area, the periods without any stored report shaded, a bilingual title, axis labels, a
legend naming each area in Arabic and English, and a source line (database, incidents counted,
the incidents left out).  The font is DejaVu Sans, which matplotlib ships and which has the
Arabic letters.  matplotlib 3.11 and later lay text out with libraqm, which joins Arabic letters
and orders right-to-left runs itself; earlier versions draw characters left to right as they
come, so there `shape_arabic` joins them with arabic-reshaper and puts them in display order
with python-bidi (doing both under libraqm would reverse the text again).

matplotlib, arabic-reshaper and python-bidi are the optional extra ``rasad[plot]``; without them
`plot_trends` raises E502 naming the pip command.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rasad.errors import ConfigError
from rasad.incidents.trends import Trends, area_name, area_name_ar

FORMATS = (".png", ".svg")
FONT = "DejaVu Sans"


def plot_modules() -> tuple[Any, Any, Any]:
    """matplotlib's pyplot (Agg), arabic_reshaper and bidi's get_display; E502 without them."""
    try:
        import arabic_reshaper
        import matplotlib
        from bidi.algorithm import get_display

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ConfigError("the trends chart needs matplotlib, arabic-reshaper and python-bidi, "
                          "which are not installed: pip install 'rasad[plot]'",
                          code="E502") from None
    return plt, arabic_reshaper, get_display


def check_plot_path(path: Path) -> None:
    """E504 unless `path` ends in .png or .svg; E502 when the plot extra is missing."""
    if path.suffix.lower() not in FORMATS:
        raise ConfigError(f"--plot writes {' or '.join(FORMATS)} files, not {path.name!r}",
                          code="E504")
    plot_modules()


def lays_out_text() -> bool:
    """True when matplotlib shapes and orders complex scripts itself (built with libraqm)."""
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", None))


def shape_arabic(text: str) -> str:
    """`text` as this matplotlib must be given it to draw Arabic right: as it is where matplotlib
    lays text out itself, else with its letters joined and in visual order."""
    _, arabic_reshaper, get_display = plot_modules()
    if lays_out_text():
        return text
    return str(get_display(arabic_reshaper.reshape(text)))


def plot_trends(trends: Trends, path: Path, top: int = 6, source: str = "",
                scope: str = "") -> int:
    """Draw the `top` areas of `trends` to `path` (`scope`, such as «in Syria», ends the English
    title); returns the number of areas drawn."""
    plt, _, _ = plot_modules()
    periods = trends.periods
    unit_ar, unit = ("يومياً", "day") if periods.days == 1 else ("أسبوعياً", "week")
    starts = [dt.datetime.combine(periods.start(i), dt.time()) for i in range(periods.count)]
    shown = trends.areas[:top]
    with plt.rc_context({"font.family": FONT, "axes.spines.top": False,
                         "axes.spines.right": False}):
        fig, ax = plt.subplots(figsize=(10, 5.6), dpi=150)
        half = dt.timedelta(days=periods.days / 2)
        for n, index in enumerate(trends.unreported):
            ax.axvspan(starts[index] - half, starts[index] + half, color="0.88", lw=0, zorder=0,
                       label="no article in the database" if n == 0 else None)
        for series in shown:
            arabic = area_name_ar(series.area)
            english = area_name(series.area, trends.by)
            label = f"{english} ({series.total_incidents})"
            ax.plot(starts, series.incidents, marker="o", markersize=3, linewidth=1.6,
                    label=f"{label}  {shape_arabic(arabic)}" if arabic else label)
        by_ar = "حسب البلد" if trends.by == "country" else "حسب المحافظة"
        by = "country" if trends.by == "country" else "first-level division"
        ax.set_title(shape_arabic(f"الحوادث {unit_ar} {by_ar}") + "\n"
                     f"Incidents per {unit} by {by}{' ' + scope if scope else ''}, "
                     f"{periods.start(0):%d %b %Y} – "
                     f"{periods.end:%d %b %Y}", fontsize=12)
        ax.set_ylabel(f"incidents per {unit}  " + shape_arabic("عدد الحوادث"))
        ax.set_xlabel(f"{'day' if periods.days == 1 else 'week starting'}")
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="0.85", linewidth=0.6)
        fig.autofmt_xdate()
        ax.legend(title=f"area (incidents, top {len(shown)} of {len(trends.areas)})",
                  fontsize=8, title_fontsize=8, frameon=False, loc="upper left",
                  bbox_to_anchor=(1.01, 1.0))
        counted = sum(s.total_incidents for s in trends.areas)
        left = sum(trends.left_out.values())
        fig.text(0.01, 0.01, f"Source: rasad incidents{' — ' + source if source else ''}; "
                 f"{counted} incidents counted, {left} left out (no date or country, vague date, "
                 "outside the range). One incident = one real-world event, however many "
                 "outlets reported it.", fontsize=7, color="0.35", wrap=True)
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        fig.savefig(path, format=path.suffix.lower().lstrip("."))
        plt.close(fig)
    return len(shown)
