"""Compile every app's .po files to .mo with polib (no system gettext needed at run time)."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    count = 0
    for po_path in sorted(ROOT.glob("src/zhengcai/*/locale/*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    sys.stdout.write(f"compiled {count} catalogues\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
