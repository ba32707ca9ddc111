"""Make the two Vazirmatn files the site serves, subset to what Persian pages use.

    python3 -m venv /tmp/fonts && /tmp/fonts/bin/pip install fonttools brotli
    npm pack vazirmatn@33.0.3 && tar xzf vazirmatn-33.0.3.tgz      # -> package/
    /tmp/fonts/bin/python scripts/subset_fonts.py package/fonts/webfonts

Writes static/fonts/vazirmatn/Vazirmatn-{Regular,Bold}.subset.woff2, which are
committed (the site needs neither npm nor fonttools to run). The subset keeps
the Persian letters (and the Arabic ones a pasted text may hold), Persian and
Arabic-Indic digits, basic Latin, and the punctuation our pages print, with the
layout features Persian shaping needs (joining forms, ligatures, marks).
Medium (500) is not served: pages ask for 400 and 700 only, and a 500 falls
back to 400 under CSS font matching.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "fonts" / "vazirmatn"
WEIGHTS = ("Regular", "Bold")
UNICODES = ",".join(
    [
        "U+0020-007E",  # basic Latin: digits in URLs and codes, Latin brand names
        "U+00A0,U+00AB,U+00BB,U+00D7",  # no-break space, « », ×
        "U+060C,U+061B,U+061F",  # Persian comma, semicolon, question mark
        "U+0621-0655,U+0660-066D,U+0670",  # Arabic letters, marks, digits, ٪٫٬
        "U+067E,U+0686,U+0698,U+06A9,U+06AF,U+06C0,U+06CC",  # پ چ ژ ک گ ۀ ی
        "U+06F0-06F9",  # Persian digits
        "U+200C-200F",  # ZWNJ (half-space), ZWJ, LRM, RLM
        "U+2010-2014,U+2018-201D,U+2022,U+2026,U+2039,U+203A",  # dashes, quotes, …
        "U+2190,U+2192,U+2212",  # ← → −
    ]
)


def main(source_dir: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for weight in WEIGHTS:
        source = Path(source_dir) / f"Vazirmatn-{weight}.woff2"
        target = OUT / f"Vazirmatn-{weight}.subset.woff2"
        subset.main(
            [
                str(source),
                f"--unicodes={UNICODES}",
                "--layout-features=*",
                "--flavor=woff2",
                "--desubroutinize",
                "--no-hinting",
                f"--output-file={target}",
            ]
        )
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size:,} bytes")  # noqa: T201


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
