"""A CJK font for matplotlib.  Its default DejaVu Sans has no Han glyphs, so every Chinese
label would render as a box ("tofu"); we pick an installed CJK font or fail saying how to get one."""
from __future__ import annotations

from pathlib import Path

# Debian's fonts-noto-cjk first (what `make` installs), then what macOS and Windows ship
CANDIDATES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "SimHei")


FILE_HINTS = ("notosanscjk", "sourcehansans", "wqy", "pingfang", "hiragino", "msyh", "simhei")


class MissingCJKFont(RuntimeError):
    pass


def use_cjk_font(path: str | Path | None = None) -> str:
    """Make matplotlib draw Chinese with ``path`` (a .ttf/.otf/.ttc file) or the first installed
    candidate; returns the family name.  Latin text keeps the same font, so labels match."""
    import matplotlib
    from matplotlib import font_manager

    if path:
        path = Path(path)
        if not path.is_file():
            raise MissingCJKFont(f"{path}: no such font file")
        font_manager.fontManager.addfont(str(path))
        family = font_manager.FontProperties(fname=str(path)).get_name()
    else:
        found = _installed_candidate(font_manager)
        if found is None:
            # matplotlib's font cache predates a font installed later: register system files once
            for file in font_manager.findSystemFonts():
                if any(hint in Path(file).name.lower() for hint in FILE_HINTS):
                    font_manager.fontManager.addfont(file)
            found = _installed_candidate(font_manager)
        if found is None:
            raise MissingCJKFont("no CJK font found, Chinese labels would render as boxes: install one "
                                 "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or pass --font FILE")
        family = found
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False   # CJK fonts often lack U+2212
    return family


def _installed_candidate(font_manager) -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CANDIDATES if name in installed), None)
