"""Counts the definitions of `monitoring.indicators` for every school at once.

A source without persons (vacancies, students' results) is one query grouped by school, each
definition a pair of conditional aggregates. A source with persons (employments, routes) is
read once, row by row: each fact about a row (a condition on its own columns) one column;
each `Has` (a record of the row's person) one query per model, its records read with one
bit per condition they match and joined by person in memory, so a condition is looked up
once per person however many definitions name it (a model some `Latest` asks about, the
person's latest record passing a test, is read with a column per condition instead, its
latest records picked in memory). The definitions are then counted per school
in memory, over bit sets of the rows, and the people behind the numbers come from the same
rows. The number of queries depends on the catalogue only, not on the schools or the people.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from itertools import compress, groupby, repeat
from operator import add, and_, is_, itemgetter, or_

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from monitoring.indicators import (
    REGISTRY,
    Combined,
    Cond,
    Definition,
    Latest,
    Owned,
    SchoolsWhere,
    Share,
    Source,
    Total,
)
from profdev.facts import Period
from profdev.models import School


@dataclass(frozen=True)
class Tally:
    """What one indicator counts at one school: numerator and (for shares) denominator."""

    numerator: int
    denominator: int | None


SchoolTallies = dict[int, dict[str, Tally]]
SchoolPeople = dict[int, dict[str, list[int]]]


def _measured(definition: Definition) -> Share | Total:
    return definition.measure if isinstance(definition, SchoolsWhere) else definition


def _aggregates(code: str, measure: Share | Total, period: Period) -> dict:
    population = measure.population.condition(period)
    if isinstance(measure, Total):
        return {f"{code}__num": Coalesce(Sum(measure.field, filter=population), 0)}
    return {
        f"{code}__num": Count("pk", filter=population & measure.counted(period)),
        f"{code}__den": Count("pk", filter=population),
    }


def _rows(source: Source, period: Period, schools: Q | None) -> QuerySet:
    # One filter() call, so that a multi-valued school path shares the rows' join.
    school_filter = Q()
    if schools is not None:
        school_filter = Q(**{f"{source.school}__in": School.objects.filter(schools).values("pk")})
    return source.model.objects.filter(source.rows(period) & school_filter)


def tally(
    period: Period,
    schools: Q | None = None,
    definitions: Iterable[Definition] = REGISTRY,
) -> SchoolTallies:
    """Numerators and denominators of every definition for every school matching `schools`
    (a filter on School; None: every school).

    A school absent from a source's rows counts zero there. Scope (n/a) is not applied here:
    see `monitoring.results`.
    """
    return tally_and_missing(period, schools, definitions, ())[0]


def tally_and_missing(
    period: Period,
    schools: Q | None,
    definitions: Iterable[Definition],
    named: Iterable[Definition],
) -> tuple[SchoolTallies, SchoolPeople]:
    """`tally` of `definitions` and, for each school and each of `named`, the ids of the
    persons in the population who are not counted (what the school can act on), in the order
    of their ids, from the same queries. Scope is not applied here.

    A source without persons is one grouped query, every definition a pair of conditional
    aggregates. A source with persons is read row by row, once (`_Rows`): each fact about a
    row a column, the `Has` and `Latest` of each model one query; the definitions are then
    counted per school in memory. So the number of queries depends on the catalogue, not on
    the schools or the people.
    """
    by_source: dict[Source, list[Definition]] = defaultdict(list)
    for definition in definitions:
        by_source[_measured(definition).population.source].append(definition)
    naming: dict[Source, list[Share]] = defaultdict(list)
    for definition in named:
        if not isinstance(definition, Share) or definition.population.source.person is None:
            raise ValueError(f"У показателя {definition.code} нет списка работников.")
        naming[definition.population.source].append(definition)
    tallies: SchoolTallies = defaultdict(dict)
    people: SchoolPeople = defaultdict(lambda: defaultdict(list))
    for source in {**by_source, **naming}:
        members = by_source.get(source, [])
        counted = [d for d in members if isinstance(_measured(d), Share) and source.person]
        summed = [d for d in members if d not in counted]
        if summed:
            _grouped_tally(source, period, schools, summed, tallies)
        if not counted and source not in naming:
            continue
        members = counted
        measures = [_measured(d) for d in members]
        rows = _Rows(source, period, schools, [*measures, *naming.get(source, [])])
        for definition, measure in zip(members, measures, strict=True):
            population = rows.truth(measure.population.condition)
            numerators = rows.per_school(population.true & rows.truth(measure.counted).true)
            denominators = rows.per_school(population.true)
            for school, numerator, denominator in zip(
                rows.schools, numerators, denominators, strict=True
            ):
                tallies[school][definition.code] = Tally(numerator, denominator)
        for definition in naming.get(source, []):
            population = rows.truth(definition.population.condition)
            missing = population.true & rows.truth(definition.counted).false
            rows.name(missing, definition.code, people)
    return tallies, people


def _grouped_tally(
    source: Source,
    period: Period,
    schools: Q | None,
    members: list[Definition],
    tallies: SchoolTallies,
) -> None:
    aggregates = {}
    for definition in members:
        aggregates.update(_aggregates(definition.code, _measured(definition), period))
    grouped = _rows(source, period, schools).values(source.school).annotate(**aggregates)
    names = list(aggregates)
    columns = [
        (
            d.code,
            1 + names.index(f"{d.code}__num"),
            1 + names.index(den) if den in names else None,
        )
        for d in members
        for den in [f"{d.code}__den"]
    ]
    for row in _fetch(grouped.values_list(source.school, *names)):
        school_tallies = tallies[row[0]]
        for code, num, den in columns:
            school_tallies[code] = Tally(row[num], None if den is None else row[den])


def _fetch(grouped: QuerySet) -> list[tuple]:
    """The rows of a query as the database driver gives them: its columns are ids, counts,
    sums and truth values, which need none of the ORM's per-value conversions (thousands of
    rows of dozens of columns each)."""
    sql, params = grouped.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _columns(rows: list[tuple], width: int) -> list[tuple]:
    """The columns of `rows`, each a tuple; `width` empty ones when there are no rows."""
    return list(zip(*rows, strict=True)) or [()] * width


@dataclass(frozen=True)
class _Truth:
    """A condition over the rows as two bit sets, one byte a row (SQL's three-valued logic):
    the rows where it holds and those where it fails; neither where it is unknown (NULL)."""

    true: int
    false: int


class _Rows:
    """The rows of a source with persons, ordered by school and person, and what every fact
    and every condition on the persons' records of some conditions says of each."""

    def __init__(
        self, source: Source, period: Period, schools: Q | None, measures: list[Share | Total]
    ) -> None:
        facts: dict[int, Cond] = {}
        owned: dict[int, Owned] = {}
        for measure in measures:
            for condition in (measure.population.condition, getattr(measure, "counted", None)):
                if condition is not None:
                    _leaves(condition, facts, owned)
        rows = _rows(source, period, schools)
        columns = {
            f"fact{key}": ExpressionWrapper(fact(period), output_field=BooleanField())
            for key, fact in facts.items()
        }
        fetched = _fetch(
            rows.annotate(**columns).values_list(source.school, source.person, *columns)
        )
        fetched.sort(key=itemgetter(0, 1))
        self.size = len(fetched)
        schools_of_rows, persons, *values = _columns(fetched, 2 + len(facts))
        self.all = int.from_bytes(b"\x01" * self.size, "big")
        self.truths: dict[int, _Truth] = {}
        for key, column in zip(facts, values, strict=True):
            self.truths[key] = self._column(column)
        for key, (holding, failing) in _owned(source, period, rows, owned).items():
            true = int.from_bytes(bytes(map(holding.__contains__, persons)), "big")
            if failing is None:
                self.truths[key] = _Truth(true, self.all ^ true)
            else:
                false = int.from_bytes(bytes(map(failing.__contains__, persons)), "big")
                self.truths[key] = _Truth(true, false)
        self.schools: list[int] = []
        self.bounds: list[tuple[int, int]] = []
        self.persons: list[tuple[int, ...]] = []  # of each school's rows
        self.repeated: list[bool] = []  # whether someone has several rows at the school
        start = 0
        for school, rows_of_school in groupby(schools_of_rows):
            end = start + sum(1 for _ in rows_of_school)
            self.schools.append(school)
            self.bounds.append((start, end))
            self.persons.append(persons[start:end])
            self.repeated.append(len(set(self.persons[-1])) < end - start)
            start = end

    def _column(self, values: tuple) -> _Truth:
        true = int.from_bytes(bytes(map(bool, values)), "big")
        if None not in values:
            return _Truth(true, self.all ^ true)
        unknown = int.from_bytes(bytes(map(is_, values, repeat(None))), "big")
        return _Truth(true, self.all ^ true ^ unknown)

    def truth(self, condition: Cond) -> _Truth:
        key = id(condition)
        if key in self.truths:
            return self.truths[key]
        assert isinstance(condition, Combined)
        parts = [self.truth(part) for part in condition.parts]
        if condition.operator == "~":
            result = _Truth(parts[0].false, parts[0].true)
        elif condition.operator == "&":
            result = _Truth(parts[0].true & parts[1].true, parts[0].false | parts[1].false)
        else:
            result = _Truth(parts[0].true | parts[1].true, parts[0].false & parts[1].false)
        self.truths[key] = result
        return result

    def per_school(self, bits: int) -> list[int]:
        """How many rows of each school (in `schools`' order) are in `bits`."""
        marks = bits.to_bytes(self.size, "big")
        return [marks.count(1, start, end) for start, end in self.bounds]

    def name(self, bits: int, code: str, people: SchoolPeople) -> None:
        """Sets `people[school][code]` to the persons of the school's rows in `bits`, each
        once, for every school with some."""
        marks = bits.to_bytes(self.size, "big")
        for school, (start, end), persons, repeated in zip(
            self.schools, self.bounds, self.persons, self.repeated, strict=True
        ):
            named = list(compress(persons, marks[start:end]))
            if named:
                # Several employments at one school: the person is named once.
                people[school][code] = list(dict.fromkeys(named)) if repeated else named


def _leaves(condition: Cond, facts: dict[int, Cond], owned: dict[int, Owned]) -> None:
    """The facts about a row and the conditions on its person's records a condition is made
    of, by identity."""
    if isinstance(condition, Combined):
        for part in condition.parts:
            _leaves(part, facts, owned)
    elif isinstance(condition, Owned):
        owned[id(condition)] = condition
    else:
        facts[id(condition)] = condition


Persons = set[int]
Clauses = tuple[Q, ...]  # a condition on records: every clause holds
MAX_BITS = 31  # conditions of one model's `Has`: their bits are summed as an SQL integer


def _owned(
    source: Source, period: Period, rows: QuerySet, owned: dict[int, Owned]
) -> dict[int, tuple[Persons, Persons | None]]:
    """For each condition on the persons' records, the persons of `rows` for whom it holds
    and those for whom it fails (None: everyone else; a `Latest` is unknown for a person
    without a record): one query per model (and person field)."""
    by_model: dict[tuple, dict[int, Owned]] = defaultdict(dict)
    for key, condition in owned.items():
        by_model[condition.model, condition.person][key] = condition
    persons = rows.values(source.person)
    found: dict[int, tuple[Persons, Persons | None]] = {}
    for (model, person), conditions in by_model.items():
        clauses = {key: condition.parts(period) for key, condition in conditions.items()}
        # The clauses every condition has are asked of the records once, in the WHERE, and
        # not again of each condition; only the records some condition asks for are read
        # (most are of other years).
        first, *others = clauses.values()
        common = tuple(q for q in first if all(q in c for c in others))
        rest = {key: tuple(q for q in c if q not in common) for key, c in clauses.items()}
        matching = model.objects.filter(*common, _any(rest.values()), **{f"{person}__in": persons})
        if any(isinstance(condition, Latest) for condition in conditions.values()):
            found.update(_picked(matching, person, rest, conditions, period))
        else:
            found.update(_holders(matching, person, rest))
    return found


def _all(clauses: Clauses) -> Q:
    return reduce(and_, clauses, Q())


def _any(conditions: Iterable[Clauses]) -> Q:
    """The records matching some of `conditions` (Q(): every record, when one has no
    clause): a condition with all the clauses of another adds none."""
    distinct = [set(c) for c in dict.fromkeys(conditions)]
    return reduce(or_, (_all(tuple(c)) for c in distinct if not any(o < c for o in distinct)), Q())


def _holders(
    matching: QuerySet, person: str, records: dict[int, Clauses]
) -> dict[int, tuple[Persons, None]]:
    """Each `Has`, from the records read once: each record's bits, one for each distinct
    condition it matches (`_bits`), joined by person in memory (cheaper than a count per
    condition and person in SQL, which asks every clause of every condition of each record)."""
    distinct = list(dict.fromkeys(records.values()))
    if len(distinct) > MAX_BITS:
        raise ValueError(f"Больше {MAX_BITS} условий на записи одной модели.")
    bits = _bits(list(enumerate(distinct)))
    held: dict[int, int] = defaultdict(int)
    for owner, matched in _fetch(matching.annotate(bits=bits).values_list(person, "bits")):
        held[owner] |= matched
    owners, masks = list(held), list(held.values())
    holders = {
        clauses: set(compress(owners, map((1 << index).__and__, masks)))
        for index, clauses in enumerate(distinct)
    }
    return {key: (holders[clauses], None) for key, clauses in records.items()}


def _bits(conditions: list[tuple[int, Clauses]]):
    """Σ 2^index of the `conditions` (index, clauses) a record matches, as one SQL expression
    in which a clause several conditions share is asked once: CASE WHEN clause THEN (the bits
    of those conditions without it) ELSE 0 END, the clause shared by the most first."""
    terms: list = [Value(sum(1 << index for index, clauses in conditions if not clauses))]
    rest = [(index, clauses) for index, clauses in conditions if clauses]
    while rest:
        shared = Counter(q for _, clauses in rest for q in clauses).most_common(1)[0][0]
        having = [(i, tuple(q for q in c if q != shared)) for i, c in rest if shared in c]
        rest = [(i, c) for i, c in rest if shared not in c]
        terms.append(Case(When(shared, then=_bits(having)), default=Value(0)))
    return reduce(add, terms)


def _picked(
    matching: QuerySet,
    person: str,
    records: dict[int, Clauses],
    conditions: dict[int, Owned],
    period: Period,
) -> dict[int, tuple[Persons, Persons | None]]:
    """The conditions on a model's records when some is a `Latest`, from the records read
    once: each record's fields of the orders, whether each distinct condition asks for it
    (a condition without clauses asks for every record read) and what each `Latest`'s test
    says of it. A `Has` holds for the persons with a record it asks for; a `Latest` is its
    test on each person's first such record by its order, picked in memory (rather than
    looked up in the database once per row and condition)."""
    latest = {key: c for key, c in conditions.items() if isinstance(c, Latest)}
    fields = list(dict.fromkeys(f.removeprefix("-") for c in latest.values() for f in c.order))
    distinct = list(dict.fromkeys(clauses for clauses in records.values() if clauses))
    columns = {
        f"asks{index}": ExpressionWrapper(_all(clauses), BooleanField())
        for index, clauses in enumerate(distinct)
    }
    for key, condition in latest.items():
        columns[f"test{key}"] = ExpressionWrapper(condition.test.on_record(period), BooleanField())
    rows = _fetch(matching.annotate(**columns).values_list(person, *fields, *columns))
    asked_by = {(): rows}
    for index, clauses in enumerate(distinct, start=1 + len(fields)):
        asked_by[clauses] = [row for row in rows if row[index]]
    tests = {key: 1 + len(fields) + len(distinct) + index for index, key in enumerate(latest)}
    found: dict[int, tuple[Persons, Persons | None]] = {}
    for key, clauses in records.items():
        if key not in latest:
            found[key] = ({row[0] for row in asked_by[clauses]}, None)
            continue
        asked = list(asked_by[clauses])
        # Stable sorts, the last field of the order first: ties keep the earlier fields' order.
        for field in reversed(latest[key].order):
            asked.sort(
                key=itemgetter(1 + fields.index(field.removeprefix("-"))),
                reverse=field.startswith("-"),
            )
        first: dict[int, object] = {}
        for row in asked:
            first.setdefault(row[0], row[tests[key]])
        found[key] = (
            {p for p, passed in first.items() if passed},
            {p for p, passed in first.items() if passed is not None and not passed},
        )
    return found


def counted_rows(
    period: Period, schools: Q | None, definition: Total, fields: tuple[str, ...]
) -> list[dict]:
    """The rows a count sums at every school matching `schools`, with the school's id (under
    the source's path to it) and `fields`: the vacancies behind VACANCY; one query."""
    source = definition.population.source
    rows = _rows(source, period, schools).filter(definition.population.condition(period))
    return list(rows.values(source.school, *fields).order_by())
