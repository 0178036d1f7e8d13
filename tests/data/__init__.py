"""The conformance examples: a deliberately messy district workbook (`district-small.xlsx`) and
the values `compute_indicators --format json` must print for it, exactly."""

from pathlib import Path

DATA = Path(__file__).resolve().parent
EXAMPLE = DATA / "district-small.xlsx"
