"""PDF indexing speed: a PDF of the seed articles' text set in pages (reportlab, a test extra), read
by index/pdf.py and indexed with the default embedder; prints pages/s of each. Asserts nothing.

    python benchmarks/pdf.py [--pages 200]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_pdf(path: Path, pages: int) -> None:
    """Writes `pages` pages of 45 lines of the seeds' text."""
    from reportlab.pdfgen import canvas

    words = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))).split()
    lines = textwrap.wrap(" ".join(words), 90)
    pdf = canvas.Canvas(str(path))
    for n in range(pages):
        for i in range(45):
            pdf.drawString(50, 780 - 16 * i, lines[(n * 45 + i) % len(lines)])
        pdf.showPage()
    pdf.save()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=200)
    args = ap.parse_args()
    from index.build import build_index
    from index.embed import get_embedder
    from index.pdf import pdf_text
    from index.store import StoreConfig

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        write_pdf(path, args.pages)
        t = time.perf_counter()
        _, text, pages = pdf_text(path)
        read_s = time.perf_counter() - t
        embedder = get_embedder("minilm")
        embedder.embed(["warm up"])
        t = time.perf_counter()
        report = build_index(StoreConfig(Path(tmp) / "index"), embedder, [path], max_bytes=1 << 30)
        index_s = time.perf_counter() - t
    print(f"{len(pages)} pages, {len(text):,} characters, {report.units} units: text layer read at {len(pages) / read_s:.0f} pages/s; "
          f"indexed (read, split, embedded, stored) at {len(pages) / index_s:.1f} pages/s ({report.units / index_s:.0f} units/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
