"""A synthetic district (or region) in the workbook exchange format (`workbook.md`), from a seed.

`generate_sheets(schools=12, staff=400, seed=2025)` returns `{sheet: (headers, rows)}` for
`write_workbook`. Every row is a list of cells under the Russian headers. The rows are
generators: each sheet walks the schools one at a time and derives that school's staff again
from the seed, so a region of 60 000 staff is never held in memory.

The data follows the seeds' findings: many short third-party distance courses, schools with
no ИОМ, young teachers without mentors, staffing gaps in a few schools, burnout surveyed in
some schools only, diagnostics with deficits, part-timers, pension-age staff, qualification
categories granted before 2023-09-01 that have since expired. It passes the importer's rules:
hours minimums, no overlapping main employments, dismissal after hire, a person's own fields
equal on all their rows, a mentor who is not the mentee, unique natural keys.
"""

import datetime as dt
import functools
import json
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings

from profdev.facts import (
    CATEGORY_TERM_YEARS,
    PERPETUAL_CATEGORIES_FROM,
    Period,
    years_after,
    years_before,
)
from profdev.text import format_snils, snils_checksum
from profdev.workbook.writer import write_workbook

FIXTURES = settings.BASE_DIR / "fixtures" / "demo"

GENERAL, PRESCHOOL, ADDITIONAL = "general", "preschool", "additional"
KIND_LABELS = {
    GENERAL: "общеобразовательная",
    PRESCHOOL: "дошкольная",
    ADDITIONAL: "дополнительного образования",
}
PEDAGOGICAL, MANAGERIAL = "педагогический", "руководящий"
MAIN, PART_TIME = "основное", "совместительство"
YES, NO = "да", "нет"

EDUCATION = {
    # Label → weights for general, preschool, additional schools.
    "высшее педагогическое": (72, 48, 45),
    "высшее непедагогическое": (10, 6, 20),
    "среднее профессиональное педагогическое": (13, 40, 20),
    "среднее профессиональное непедагогическое": (3, 4, 10),
    "без профессионального образования": (2, 2, 5),
}
KIND_COLUMN = {GENERAL: 0, PRESCHOOL: 1, ADDITIONAL: 2}
NON_PEDAGOGICAL = ("высшее непедагогическое", "среднее профессиональное непедагогическое")
NO_EDUCATION = "без профессионального образования"
FEMALE_SHARE = {GENERAL: 0.84, PRESCHOOL: 0.98, ADDITIONAL: 0.68}
KIND_SHARE = {GENERAL: 0.5, ADDITIONAL: 0.12}  # the rest are kindergartens
DIAGNOSTIC_HEADERS = {
    "subject": "Предметный",
    "methodical": "Методический",
    "assessment": "Оценочный",
    "psychological": "Психолого-педагогический",
    "communicative": "Коммуникативный",
    "digital": "Цифровой",
}
LEVELS = {"ОО": 30, "муниципальный": 45, "региональный": 15, "всероссийский": 8, "международный": 2}
CONTEST_RESULTS = {"участник": 70, "призёр": 20, "победитель": 10}
BURNOUT_LEVELS = {"низкий": 35, "средний": 40, "высокий": 18, "крайне высокий": 7}

HEADERS = {
    "ОО": [
        "Код ОО",
        "Наименование",
        "Краткое наименование",
        "Тип ОО",
        "ШНОР",
        "Неблагоприятные условия",
        "Руководитель",
        "Email",
        "Муниципалитет",
    ],
    "Организации ДПО": ["Наименование", "Вид", "Лицензия"],
    "Педагоги": [
        "СНИЛС",
        "Фамилия",
        "Имя",
        "Отчество",
        "Пол",
        "Дата рождения",
        "Код ОО",
        "Должность",
        "Категория работника",
        "Место работы",
        "Образование",
        "Педагогический стаж с",
        "Дата приема",
        "Дата увольнения",
        "Предметы",
    ],
    "Курсы": [
        "СНИЛС",
        "Вид программы",
        "Программа",
        "Организация",
        "Часы",
        "Форма",
        "ДОТ",
        "Дата окончания",
        "Номер документа",
        "Тематика",
        "Педагогическая направленность",
        "Федеральный реестр",
    ],
    "Аттестация": ["СНИЛС", "Дата", "Результат", "Приказ"],
    "Конкурсы": ["СНИЛС", "Конкурс", "Уровень", "Результат", "Дата"],
    "Наставничество": ["СНИЛС наставника", "СНИЛС наставляемого", "Дата начала", "Дата окончания"],
    "Диагностика": ["СНИЛС", "Дата", "Инструмент", *DIAGNOSTIC_HEADERS.values()],
    "ИОМ": ["СНИЛС", "Дата начала", "Дата окончания", "Куратор", "Тьютор"],
    "Деятельность": ["СНИЛС", "Вид", "Описание", "Дата"],
    "Выгорание": ["СНИЛС", "Дата", "Уровень"],
    "Вакансии": ["Код ОО", "Должность", "Количество", "Дата открытия", "Дата закрытия"],
    "Результаты обучающихся": [
        "Код ОО",
        "Учебный год",
        "Процедура",
        "Предмет",
        "Параллель",
        "Участников",
        "Не справились",
        "Средний балл",
    ],
}
RUSSIAN, MATHS = "русский язык", "математика"
# What a teacher of each position teaches (results.md «Teachers' subjects»); others: nothing.
SUBJECTS = {
    "учитель начальных классов": (RUSSIAN, MATHS, "литература", "окружающий мир"),
    "учитель русского языка и литературы": (RUSSIAN, "литература"),
    "учитель математики": (MATHS,),
    "учитель английского языка": ("иностранный язык",),
    "учитель истории и обществознания": ("история", "обществознание"),
    "учитель физики": ("физика",),
    "учитель химии": ("химия",),
    "учитель биологии": ("биология",),
    "учитель географии": ("география",),
    "учитель информатики": ("информатика",),
}
# Students' results: (procedure, grade, subjects every pupil writes, electives, how many of them).
PROCEDURES = (
    ("ВПР", 4, (RUSSIAN, MATHS, "окружающий мир"), (), 0),
    ("ВПР", 5, (RUSSIAN, MATHS), ("история", "биология"), 1),
    ("ВПР", 6, (RUSSIAN, MATHS), ("история", "биология", "география", "обществознание"), 1),
    ("ВПР", 7, (RUSSIAN, MATHS), ("физика", "иностранный язык", "география"), 1),
    ("ВПР", 8, (RUSSIAN, MATHS), ("физика", "химия", "биология", "обществознание"), 1),
    ("НОКО", 10, (RUSSIAN, MATHS), (), 0),
    (
        "ОГЭ",
        9,
        (RUSSIAN, MATHS),
        ("обществознание", "информатика", "биология", "география", "химия", "физика"),
        4,
    ),
    (
        "ЕГЭ",
        11,
        (RUSSIAN,),
        (MATHS, "обществознание", "физика", "биология", "информатика", "история", "химия"),
        4,
    ),
)
# The usual share of pupils who fail (ЕГЭ: below the minimum score), by procedure.
FAILURE = {"ВПР": 0.07, "НОКО": 0.08, "ОГЭ": 0.04, "ЕГЭ": 0.03}

Sheets = dict[str, tuple[list[str], Iterator[list[Any]]]]


@functools.cache
def fixture(name: str) -> dict:
    """Static demo data from `fixtures/demo/<name>.json`."""
    with (FIXTURES / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)


def district_info(code: str) -> dict:
    """The fixture entry of a district; a code not in the list gets a plain name."""
    for district in fixture("districts")["districts"]:
        if district["code"] == code:
            return district
    return {"code": code, "name": f"Муниципалитет {code}", "genitive": f"муниципалитета {code}"}


def district_codes(count: int) -> list[str]:
    """The first `count` district codes of the fixture (numbered beyond its list)."""
    known = [d["code"] for d in fixture("districts")["districts"]]
    return known[:count] + [f"D{n}" for n in range(len(known) + 1, count + 1)]


@dataclass(frozen=True, slots=True)
class SchoolPlan:
    index: int
    code: str
    district: str
    kind: str
    name: str
    short_name: str
    email: str
    size: int
    first_person: int  # global number of the school's first staff member
    neighbour: int | None  # another school of the district: part-time jobs and transfers
    low_results: bool
    unfavourable: bool
    has_routes: bool
    mentoring: bool
    burnout_survey: bool
    vacancies: bool
    diagnostic_rate: float
    network_rate: float
    regional_share: float


@dataclass(frozen=True, slots=True)
class Member:
    """One staff member whose main employment is at a school, with their history."""

    snils: str
    last_name: str
    first_name: str
    middle_name: str
    sex: str
    birth_date: dt.date
    education: str
    experience_since: dt.date
    position: str
    category: str
    hired_on: dt.date
    dismissed_on: dt.date | None
    previous: tuple[int, str, dt.date, dt.date] | None  # school, position, hired, dismissed
    part_time: tuple[str, dt.date, dt.date | None] | None  # position at the neighbour school
    deficit: bool  # their diagnostics show deficits

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.middle_name}"

    @property
    def pedagogical(self) -> bool:
        return self.category == PEDAGOGICAL

    def span(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
        """The part of [start, end] during which the main employment lasts."""
        lo = max(start, self.hired_on)
        hi = min(end, self.dismissed_on) if self.dismissed_on else end
        return (lo, hi) if lo <= hi else None


class Region:
    """The plan of a generated region: its schools; staff and records derive from the seed."""

    def __init__(
        self,
        *,
        schools: int,
        staff: int,
        years: int = 5,
        last_year: int = 2025,
        seed: int = 2025,
        districts: Sequence[str] = ("ZR",),
    ):
        if schools < 1 or not districts or schools < len(districts):
            raise ValueError("Нужна хотя бы одна ОО в каждом муниципалитете.")
        if staff < 3 * schools:
            raise ValueError(
                f"Работников ({staff}) должно быть не меньше трёх на каждую ОО ({3 * schools})."
            )
        if years < 1:
            raise ValueError("Число учебных лет должно быть не меньше одного.")
        self.seed = seed
        self.districts = list(districts)
        self.years = range(last_year - years + 1, last_year + 1)
        self.start = Period.of(self.years[0]).start
        # Events of an academic year happen by the end of June; the year itself ends in August.
        self.events_end = dt.date(last_year + 1, 6, 30)
        self.end = Period.of(last_year).end
        self.schools = self._plan_schools(schools, staff)

    # --- the plan ---------------------------------------------------------------------

    def _plan_schools(self, count: int, staff: int) -> list[SchoolPlan]:
        rng = random.Random(f"{self.seed}/schools")
        kinds = fixture("schools")
        per_district = [
            count // len(self.districts) + (i < count % len(self.districts))
            for i in range(len(self.districts))
        ]
        drafts = []
        for district, n in zip(self.districts, per_district, strict=True):
            n_general = max(1, round(n * KIND_SHARE[GENERAL]))
            n_additional = max(1, round(n * KIND_SHARE[ADDITIONAL])) if n >= 3 else 0
            school_kinds = (
                [GENERAL] * n_general
                + [PRESCHOOL] * (n - n_general - n_additional)
                + [ADDITIONAL] * n_additional
            )
            with_vacancies = set(rng.sample(range(n), min(n, max(2, n // 6))))
            low_results = set(rng.sample(range(n_general), max(1, round(n_general * 0.15))))
            names = Counter()
            numbers = Counter()
            width = max(2, len(str(n)))
            first = len(drafts)
            for k, kind in enumerate(school_kinds):
                spec = kinds[kind]
                template = rng.choices(spec["kinds"], [t["weight"] for t in spec["kinds"]])[0]
                numbers[kind] += rng.randint(1, 3) if kind != ADDITIONAL else 1
                names[template["name"]] += 1
                suffix = f" № {names[template['name']]}" if names[template["name"]] > 1 else ""
                fields = {
                    "n": numbers[kind],
                    "nick": rng.choice(spec.get("nicknames", [""])),
                    "suffix": suffix,
                }
                name, short = template["name"].format(**fields), template["short"].format(**fields)
                code = f"{district}-{k + 1:0{width}d}"
                drafts.append(
                    {
                        "code": code,
                        "district": district,
                        "kind": kind,
                        "name": f"{spec['full_prefix']} «{name}»",
                        "short_name": f"{spec['short_prefix']} {short}",
                        "email": f"{code.lower()}@edu-{district.lower()}.example.ru",
                        "weight": rng.uniform(*spec["size"]),
                        "neighbour": first + (k + 1) % n if n > 1 else None,
                        "low_results": k in low_results,
                        "unfavourable": kind == GENERAL
                        and rng.random() < (0.5 if k in low_results else 0.08),
                        "has_routes": rng.random() < 0.6,
                        "mentoring": rng.random() < 0.75,
                        "burnout_survey": rng.random() < 0.4,
                        "vacancies": k in with_vacancies,
                        "diagnostic_rate": rng.uniform(0.2, 0.95),
                        "network_rate": rng.uniform(0.35, 0.85),
                        "regional_share": rng.uniform(0.15, 0.5),
                    }
                )
        sizes = _apportion([d.pop("weight") for d in drafts], staff, minimum=3)
        plans, first_person = [], 0
        for index, (draft, size) in enumerate(zip(drafts, sizes, strict=True)):
            plans.append(SchoolPlan(index=index, size=size, first_person=first_person, **draft))
            first_person += size
        return plans

    # --- staff --------------------------------------------------------------------------

    def staff(self, school: SchoolPlan, count: int | None = None) -> list[Member]:
        """The school's staff (main employment there; the first `count`), the same on every call."""
        rng = random.Random(f"{self.seed}/staff/{school.index}")
        spec = fixture("schools")[school.kind]
        deputies = min(len(spec["deputies"]), 1 + school.size // 30) if school.size >= 10 else 1
        teachers = {position: weight for position, weight in spec["teachers"]}
        members = []
        for j in range(school.size if count is None else count):
            if j == 0:
                position, category = spec["head"], MANAGERIAL
            elif j <= deputies:
                position, category = spec["deputies"][j - 1], MANAGERIAL
            else:
                position, category = _weighted(rng, teachers), PEDAGOGICAL
            members.append(
                self._member(rng, school, school.first_person + j, position, category, head=j == 0)
            )
        return members

    def _member(
        self,
        rng: random.Random,
        school: SchoolPlan,
        number: int,
        position: str,
        category: str,
        head: bool,
    ) -> Member:
        names = fixture("names")
        female = rng.random() < FEMALE_SHARE[school.kind]
        surname = rng.choice(names["surnames"])
        patronymic = rng.choice(names["patronymics"])
        young = category == PEDAGOGICAL and rng.random() < 0.16
        if young:
            # Started work in the window or just before it: young in some monitoring year.
            experience_since = _day(
                rng, dt.date(self.years[0] - 2, 8, 15), dt.date(self.years[-1], 9, 15)
            )
            birth_date = experience_since - dt.timedelta(days=rng.randint(21 * 365, 27 * 365))
        else:
            age = rng.randint(58, 72) if rng.random() < 0.17 else rng.randint(27, 57)
            birth_date = _day(
                rng, dt.date(self.years[-1] - age, 1, 1), dt.date(self.years[-1] - age, 12, 28)
            )
            experience_since = years_after(birth_date, rng.randint(20, 25)) + dt.timedelta(
                days=rng.randint(0, 200)
            )
            experience_since = min(experience_since, years_before(self.start, 3))
        education = _weighted(
            rng, {label: w[KIND_COLUMN[school.kind]] for label, w in EDUCATION.items()}
        )
        if young or rng.random() < 0.25:
            hired_on = experience_since if young else _day(rng, self.start, self.events_end)
        else:
            hired_on = _day(rng, experience_since, self.start - dt.timedelta(days=1))
        dismissed_on = None
        if not head and rng.random() < 0.05 and (self.end - hired_on).days > 120:
            dismissed_on = _day(rng, hired_on + dt.timedelta(days=90), self.end)
        previous = None
        if (
            school.neighbour is not None
            and self.schools[school.neighbour].kind == school.kind
            and not young
            and rng.random() < 0.05
            and (hired_on - experience_since).days > 730
        ):
            left = hired_on - dt.timedelta(days=rng.randint(1, 60))
            previous = (school.neighbour, position, experience_since, left)
        part_time = None
        if category == PEDAGOGICAL and school.neighbour is not None and rng.random() < 0.07:
            other = self.schools[school.neighbour].kind
            job = position if other == school.kind else None
            if other == ADDITIONAL:
                job = "педагог дополнительного образования"
            since = _day(rng, max(hired_on, self.start), self.events_end)
            until = dismissed_on if dismissed_on else None
            if job and (until is None or until >= since):
                if until is None and rng.random() < 0.3:
                    until = _day(rng, since, self.end)
                part_time = (job, since, until)
        return Member(
            snils=_snils(number, self.seed),
            last_name=_surname(surname, female),
            first_name=rng.choice(names["female_names" if female else "male_names"]),
            middle_name=patronymic[1 if female else 0],
            sex="ж" if female else "м",
            birth_date=birth_date,
            education=education,
            experience_since=experience_since,
            position=position,
            category=category,
            hired_on=hired_on,
            dismissed_on=dismissed_on,
            previous=previous,
            part_time=part_time,
            deficit=rng.random() < 0.45,
        )

    def beginner(self, m: Member) -> bool:
        """Started teaching at most two years before the window: a young teacher in it."""
        return m.experience_since >= years_before(self.start, 2)

    def academic_years(self) -> Iterator[tuple[int, dt.date, dt.date]]:
        """(year, 1 September, 30 June) of each academic year of the window."""
        for year in self.years:
            yield year, Period.of(year).start, dt.date(year + 1, 6, 30)

    def sheets(self) -> Sheets:
        """Every sheet of the format, in its order, with rows as generators."""
        sheets: Sheets = {
            "ОО": (HEADERS["ОО"], self._schools_rows()),
            "Организации ДПО": (HEADERS["Организации ДПО"], self._provider_rows()),
        }
        for name, rows in (
            ("Педагоги", self._staff_rows),
            ("Курсы", self._course_rows),
            ("Аттестация", self._attestation_rows),
            ("Конкурсы", self._contest_rows),
            ("Наставничество", self._mentorship_rows),
            ("Диагностика", self._diagnostic_rows),
            ("ИОМ", self._route_rows),
            ("Деятельность", self._activity_rows),
            ("Выгорание", self._burnout_rows),
        ):
            sheets[name] = (HEADERS[name], self._per_member(name, rows))
        sheets["Вакансии"] = (HEADERS["Вакансии"], self._vacancy_rows())
        results = "Результаты обучающихся"
        sheets[results] = (HEADERS[results], self._result_rows())
        return sheets

    def _per_member(self, sheet: str, rows) -> Iterator[list[Any]]:
        """A sheet of people's records: school by school, each with its own random stream."""
        for school in self.schools:
            rng = random.Random(f"{self.seed}/{sheet}/{school.index}")
            yield from rows(school, rng, self.staff(school))

    # --- sheets -------------------------------------------------------------------------

    def _schools_rows(self) -> Iterator[list[Any]]:
        for school in self.schools:
            head = self.staff(school, count=1)[0]
            yield [
                school.code,
                school.name,
                school.short_name,
                KIND_LABELS[school.kind],
                _yes_no(school.low_results),
                _yes_no(school.unfavourable),
                head.full_name,
                school.email,
                school.district,
            ]

    def providers(self, district: str) -> list[dict]:
        """Providers a district's teachers study with: the fixture's list, its own service named."""
        genitive = district_info(district)["genitive"]
        return [
            {**p, "name": p["name"].format(genitive=genitive)}
            for p in fixture("training")["providers"]
        ]

    def _provider_rows(self) -> Iterator[list[Any]]:
        seen = set()
        for district in self.districts:
            for provider in self.providers(district):
                if provider["name"] not in seen:
                    seen.add(provider["name"])
                    yield [provider["name"], provider["kind"], provider["licence"]]

    def _staff_rows(self, school, rng, members) -> Iterator[list[Any]]:
        for m in members:
            person = [
                format_snils(m.snils),
                m.last_name,
                m.first_name,
                m.middle_name,
                m.sex,
                m.birth_date,
            ]
            subjects = "; ".join(SUBJECTS.get(m.position, ())) or None
            jobs = [(school.code, m.position, MAIN, m.hired_on, m.dismissed_on)]
            if m.previous:
                where, position, hired, left = m.previous
                jobs.insert(0, (self.schools[where].code, position, MAIN, hired, left))
            if m.part_time:
                position, since, until = m.part_time
                jobs.append(
                    (self.schools[school.neighbour].code, position, PART_TIME, since, until)
                )
            for code, position, workplace, hired, dismissed in jobs:
                yield [
                    *person,
                    code,
                    position,
                    m.category,
                    workplace,
                    m.education,
                    m.experience_since,
                    hired,
                    dismissed,
                    subjects,
                ]

    def _course_rows(self, school, rng, members) -> Iterator[list[Any]]:
        training = fixture("training")
        providers = self.providers(school.district)
        by_kind: dict[str, dict[int, int]] = {}
        for i, p in enumerate(providers):
            by_kind.setdefault(p["kind"], {})[i] = p["weight"]
        flagged = school.low_results or school.unfavourable
        courses = [
            c
            for c in training["courses"]
            if school.kind in c["for"] and (flagged or not c.get("low_results"))
        ]
        kind_share = {
            "региональная": school.regional_share,
            "муниципальная": 0.12,
            "федеральная": 0.08,
            "сторонняя": 0.8 - school.regional_share,
        }
        for_teachers = [c for c in courses if not c.get("managers")]
        for_managers = [c for c in courses if c.get("managers")] or courses
        for m in members:
            taken = set()
            for year, _start, end in self.academic_years():
                span = m.span(dt.date(year, 9, 15), end)
                if span is None or rng.random() > (0.5 if m.pedagogical else 0.4):
                    continue
                for _ in range(1 + (rng.random() < 0.25)):
                    course = rng.choice(for_teachers if m.pedagogical else for_managers)
                    kind = _weighted(rng, kind_share)
                    provider = providers[_weighted(rng, by_kind[kind])]
                    form, distance = _form(rng, kind)
                    finished = _day(rng, *span)
                    key = ("ПК", course["title"], provider["name"], finished)
                    if key in taken:
                        continue
                    taken.add(key)
                    yield [
                        format_snils(m.snils),
                        "ПК",
                        course["title"],
                        provider["name"],
                        rng.choice(training["hours"][kind]),
                        form,
                        distance,
                        finished,
                        _document_number(rng),
                        "; ".join(course["topics"]),
                        None,
                        _yes_no(
                            kind == "федеральная" or (kind == "региональная" and rng.random() < 0.6)
                        ),
                    ]
            yield from self._retraining(school, rng, m, providers)

    def _retraining(self, school, rng, m: Member, providers) -> Iterator[list[Any]]:
        """Professional retraining: of teachers without pedagogical education, and of heads."""
        if m.pedagogical and m.education in (*NON_PEDAGOGICAL, NO_EDUCATION):
            chance = 0.55
        elif not m.pedagogical:
            chance = 0.15
        else:
            return
        span = m.span(self.start, self.events_end)
        if span is None or rng.random() > chance:
            return
        suitable = [
            p
            for p in fixture("training")["retraining"]
            if school.kind in p["for"] and p.get("managers", False) == (not m.pedagogical)
        ]
        programme = rng.choice(suitable)
        provider = rng.choice([p for p in providers if p["kind"] in ("региональная", "сторонняя")])
        form, distance = _form(rng, provider["kind"])
        yield [
            format_snils(m.snils),
            "ПП",
            programme["title"],
            provider["name"],
            rng.choice(programme["hours"]),
            form,
            distance,
            _day(rng, *span),
            _document_number(rng),
            "",
            _yes_no(programme["pedagogical"]),
            NO,
        ]

    def _attestation_rows(self, school, rng, members) -> Iterator[list[Any]]:
        earliest = dt.date(self.years[0] - 5, 9, 15)
        for m in members:
            if not m.pedagogical:
                continue
            first_possible = max(years_after(m.experience_since, 2), earliest, m.hired_on)
            if first_possible > self.events_end:
                continue
            if rng.random() < 0.62:
                date = _day(rng, first_possible, self.events_end)
                result = "первая" if rng.random() < 0.6 else "высшая"
                while True:
                    yield [format_snils(m.snils), date, result, _order_number(rng)]
                    # Renewed before the five-year term runs out, or left to expire.
                    renewal = years_after(date, CATEGORY_TERM_YEARS) - dt.timedelta(
                        days=rng.randint(10, 90)
                    )
                    if renewal > self.events_end or rng.random() < 0.35:
                        break
                    date, result = renewal, "высшая"
                    if date >= PERPETUAL_CATEGORIES_FROM and rng.random() < 0.12:
                        result = rng.choice(("педагог-методист", "педагог-наставник"))
            elif rng.random() < 0.4:
                date = _day(rng, max(first_possible, self.start), self.events_end)
                yield [
                    format_snils(m.snils),
                    date,
                    "соответствие занимаемой должности",
                    _order_number(rng),
                ]

    def _contest_rows(self, school, rng, members) -> Iterator[list[Any]]:
        contests = [c for c in fixture("activity")["contests"] if school.kind in c["for"]]
        for m in members:
            if not m.pedagogical:
                continue
            young = self.beginner(m)
            for year, _start, _end in self.academic_years():
                span = m.span(dt.date(year + 1, 1, 15), dt.date(year + 1, 3, 31))
                if span is None or rng.random() > 0.12:
                    continue
                choices = [c for c in contests if young or not c.get("young")]
                contest = rng.choice(choices)
                level = _weighted(rng, {lv: LEVELS[lv] for lv in contest["levels"]})
                yield [
                    format_snils(m.snils),
                    f"{contest['name']} — {year + 1}",
                    level,
                    _weighted(rng, CONTEST_RESULTS),
                    _day(rng, *span),
                ]

    def _mentorship_rows(self, school, rng, members) -> Iterator[list[Any]]:
        if not school.mentoring:
            return
        veteran_since = years_before(self.start, 10)
        mentors = [
            m
            for m in members
            if m.pedagogical and m.experience_since <= veteran_since and m.dismissed_on is None
        ]
        if not mentors:
            return
        for m in members:
            if not (m.pedagogical and self.beginner(m)):
                continue
            if rng.random() > 0.65:
                continue
            started = max(m.hired_on, self.start) + dt.timedelta(days=rng.randint(0, 20))
            if started > self.events_end or (m.dismissed_on and m.dismissed_on < started):
                continue
            ended = years_after(started, 2) - dt.timedelta(days=1)
            if m.dismissed_on:
                ended = min(ended, m.dismissed_on)
            mentor = rng.choice(mentors)
            yield [
                format_snils(mentor.snils),
                format_snils(m.snils),
                started,
                ended if ended <= self.events_end else None,
            ]

    def _diagnostic_rows(self, school, rng, members) -> Iterator[list[Any]]:
        tools = [t for t in fixture("activity")["diagnostics"] if school.kind in t["for"]]
        regional = next(t for t in tools if t["instrument"] == "региональная диагностика")
        for m in members:
            for n, (year, _start, _end) in enumerate(self.academic_years()):
                span = m.span(dt.date(year, 10, 1), dt.date(year + 1, 4, 30))
                # Coverage grows year by year, as the seeds' recommendations ask.
                rate = school.diagnostic_rate * (0.7 + 0.3 * n / max(1, len(self.years) - 1))
                if span is None or rng.random() > rate:
                    continue
                tool = rng.choice(tools) if m.pedagogical else regional
                scores = {c: rng.randint(60, 97) for c in tool["components"]}
                if m.deficit and rng.random() < 0.8:
                    for c in rng.sample(tool["components"], min(2, rng.randint(1, 3))):
                        scores[c] = rng.randint(25, 59)
                yield [
                    format_snils(m.snils),
                    _day(rng, *span),
                    tool["instrument"],
                    *(scores.get(c) for c in DIAGNOSTIC_HEADERS),
                ]

    def _route_rows(self, school, rng, members) -> Iterator[list[Any]]:
        if not school.has_routes:
            return
        for m in members:
            if not m.deficit:
                continue
            for year, _start, _end in self.academic_years():
                span = m.span(dt.date(year, 10, 15), dt.date(year + 1, 1, 31))
                if span is None or rng.random() > 0.45:
                    continue
                started = _day(rng, *span)
                ended = started + dt.timedelta(days=rng.randint(240, 400))
                yield [
                    format_snils(m.snils),
                    started,
                    ended if ended <= self.events_end and rng.random() < 0.7 else None,
                    _random_name(rng) if rng.random() < 0.7 else None,
                    _random_name(rng) if rng.random() < 0.35 else None,
                ]

    def _activity_rows(self, school, rng, members) -> Iterator[list[Any]]:
        activities = fixture("activity")["activities"]
        chances = {
            "методическое объединение": school.network_rate,
            "сетевое сообщество": 0.15,
            "эксперт": 0.07,
            "методический актив": 0.05,
            "обобщение опыта": 0.07,
        }
        for m in members:
            if not m.pedagogical:
                continue
            for _year, start, end in self.academic_years():
                span = m.span(start, end)
                if span is None:
                    continue
                for kind, chance in chances.items():
                    if rng.random() > chance:
                        continue
                    yield [
                        format_snils(m.snils),
                        kind,
                        rng.choice(activities[kind]),
                        _day(rng, *span),
                    ]

    def _burnout_rows(self, school, rng, members) -> Iterator[list[Any]]:
        if not school.burnout_survey:
            return
        for year, _start, _end in self.academic_years():
            if rng.random() > 0.7:
                continue
            survey = _day(rng, dt.date(year, 11, 1), dt.date(year + 1, 3, 15))
            for m in members:
                if m.pedagogical and m.span(survey, survey) and rng.random() < 0.85:
                    yield [format_snils(m.snils), survey, _weighted(rng, BURNOUT_LEVELS)]

    def _vacancy_rows(self) -> Iterator[list[Any]]:
        for school in self.schools:
            if not school.vacancies:
                continue
            rng = random.Random(f"{self.seed}/Вакансии/{school.index}")
            positions = fixture("schools")[school.kind]["vacancies"]
            for position in rng.sample(positions, rng.randint(1, min(3, len(positions)))):
                opened = _day(rng, self.start, self.events_end)
                closed = opened + dt.timedelta(days=rng.randint(30, 200))
                yield [
                    school.code,
                    position,
                    rng.randint(1, 2),
                    opened,
                    closed if closed <= self.events_end and rng.random() < 0.5 else None,
                ]

    def struggling(self) -> dict[int, dict[str, float]]:
        """Schools whose pupils fail often, by subject: each district's ШНОР schools in
        Russian and maths (far above 15 %), another general school in maths, and a third
        somewhat above the rest in history (about 13 %)."""
        rng = random.Random(f"{self.seed}/Результаты")
        shares: dict[int, dict[str, float]] = {}
        for district in self.districts:
            general = [s for s in self.schools if s.district == district and s.kind == GENERAL]
            for s in general:
                if s.low_results:
                    shares[s.index] = {RUSSIAN: 0.24, MATHS: 0.3}
            others = [s for s in general if not s.low_results]
            for s, subject, share in zip(
                rng.sample(others, min(2, len(others))),
                (MATHS, "история"),
                (0.22, 0.13),
                strict=False,
            ):
                shares[s.index] = {subject: share}
        return shares

    def _result_rows(self) -> Iterator[list[Any]]:
        struggling = self.struggling()
        for school in self.schools:
            if school.kind != GENERAL:
                continue
            rng = random.Random(f"{self.seed}/Результаты/{school.index}")
            shares = struggling.get(school.index, {})
            cohort = max(8, round(school.size * rng.uniform(0.9, 1.4)))
            for year in self.years:
                for procedure, grade, subjects, electives, chosen in PROCEDURES:
                    picked = rng.sample(electives, chosen)
                    for subject in (*subjects, *picked):
                        whole = subject in subjects
                        size = cohort if whole else round(cohort * rng.uniform(0.15, 0.45))
                        participants = max(1, round(size * rng.uniform(0.85, 1.0)))
                        share = shares.get(subject, FAILURE[procedure]) * rng.uniform(0.75, 1.25)
                        failed = min(participants, round(participants * share))
                        if procedure == "ЕГЭ":
                            score = rng.uniform(52, 74) - 60 * share
                        else:
                            score = rng.uniform(3.4, 4.1) - 3 * share
                        yield [
                            school.code,
                            f"{year}/{year + 1}",
                            procedure,
                            subject,
                            grade,
                            participants,
                            failed,
                            round(score, 2),
                        ]


def generate_sheets(
    *,
    schools: int = 12,
    staff: int = 400,
    years: int = 5,
    last_year: int = 2025,
    seed: int = 2025,
    districts: Sequence[str] = ("ZR",),
) -> Sheets:
    """A region's workbook as `{sheet: (headers, rows)}`; raises ValueError (Russian) on bad sizes.

    `years` academic years end with `last_year` (2021/2022 … 2025/2026 by default); schools
    are shared out among `districts` (codes, written in the column «Муниципалитет»).
    """
    region = Region(
        schools=schools,
        staff=staff,
        years=years,
        last_year=last_year,
        seed=seed,
        districts=districts,
    )
    return region.sheets()


def write_region(target: str | IO[bytes], **params) -> dict[str, int]:
    """Generate (`generate_sheets(**params)`) straight into an `.xlsx`; returns rows per sheet."""
    sheets = generate_sheets(**params)
    counts = dict.fromkeys(sheets, 0)

    def counted(name: str, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
        for row in rows:
            counts[name] += 1
            yield row

    write_workbook(
        {name: (headers, counted(name, rows)) for name, (headers, rows) in sheets.items()}, target
    )
    return counts


# --- small helpers ----------------------------------------------------------------------

_SNILS_SPAN = 899_999_999  # nine-digit numbers from 100-000-000: every one has a checksum


def _snils(number: int, seed: int) -> str:
    """A valid СНИЛС, distinct for each staff number (a bijection of the nine-digit range)."""
    first_nine = f"{100_000_000 + (number * 1_000_003 + seed * 7_919) % _SNILS_SPAN:09d}"
    return f"{first_nine}{snils_checksum(first_nine):02d}"


def _surname(male: str, female: bool) -> str:
    """The female form of a surname: Иванов → Иванова, Островский → Островская."""
    if not female:
        return male
    for ending, replacement in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ый", "ая")):
        if male.endswith(ending):
            return male[: -len(ending)] + replacement
    if male.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return male + "а"
    return male


def _random_name(rng: random.Random) -> str:
    names = fixture("names")
    female = rng.random() < 0.8
    return " ".join(
        (
            _surname(rng.choice(names["surnames"]), female),
            rng.choice(names["female_names" if female else "male_names"]),
            rng.choice(names["patronymics"])[1 if female else 0],
        )
    )


def _weighted(rng: random.Random, weights: dict) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _form(rng: random.Random, provider_kind: str) -> tuple[str, str]:
    """(Форма, ДОТ) as providers of each kind deliver their programmes."""
    if provider_kind == "сторонняя":
        return "заочная", _yes_no(rng.random() < 0.95)
    if provider_kind == "муниципальная":
        return "очная", NO
    form = rng.choice(("очная", "очно-заочная", "заочная"))
    return form, _yes_no(form != "очная" and rng.random() < 0.7)


def _document_number(rng: random.Random) -> str:
    return f"{rng.randint(10**11, 10**12 - 1)}"


def _order_number(rng: random.Random) -> str:
    return f"{rng.randint(100, 2400)}-к"


def _apportion(weights: list[float], total: int, minimum: int) -> list[int]:
    """Split `total` in proportion to `weights`, each part at least `minimum`.

    Largest remainder: the parts add up to `total` exactly.
    """
    spare = total - minimum * len(weights)
    whole = sum(weights)
    shares = [spare * w / whole for w in weights]
    parts = [minimum + int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: int(shares[i]) - shares[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts
