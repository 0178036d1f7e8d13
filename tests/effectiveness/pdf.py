"""A PDF read back as poppler's pdftotext reads it: the text, and every word with its box on
its page (for margins and page sizes)."""

import re
import subprocess
from dataclasses import dataclass

import lxml.etree

MM = 72 / 25.4  # points


def text(pdf: bytes) -> str:
    """The whole text, runs of spaces and line breaks as one space."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode())


def lines(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return [line.strip() for line in out.stdout.decode().splitlines() if line.strip()]


@dataclass
class Page:
    width: float
    height: float
    words: list[tuple[float, float, str]]  # x min, x max, the word

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def text(self) -> str:
        return " ".join(w for _, _, w in self.words)


def pages(pdf: bytes) -> list[Page]:
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    )
    root = lxml.etree.fromstring(out.stdout, lxml.etree.HTMLParser(encoding="utf-8"))
    return [
        Page(
            float(page.get("width")),
            float(page.get("height")),
            [(float(w.get("xmin")), float(w.get("xmax")), w.text or "") for w in page.iter("word")],
        )
        for page in root.iter("page")
    ]
