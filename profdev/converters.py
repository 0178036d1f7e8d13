"""URL converters: a year in a URL is an academic year's first calendar year.

Only four digits from MIN_YEAR to MAX_YEAR match, so `/monitoring/10000/…` or
`/effectiveness/0/` is a 404 rather than a date computed out of range.
"""

MIN_YEAR = 2000
MAX_YEAR = 2099


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(year)  # Django's resolver takes this for "no match": 404
        return year

    def to_url(self, value: int) -> str:
        return str(value)
