"""Who may see what: the one place where a user's scope is decided.

Every view and export asks `scope_for(request.user)` for its querysets; an object that
is not in them answers 404. A school administrator sees the persons with an employment
at their schools (current or past), but changes, and reads the records of, only the persons
their schools *keep* (`persons_kept_by`); methodologists and the head see and change their
district; a regional methodologist every district.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import In
from django.http import Http404
from django.utils import timezone

from profdev.facts import employed_at
from profdev.models import District, Employment, Person, RoleGrant, School

Role = RoleGrant.Role
DISTRICT_ROLES = frozenset({Role.METHODOLOGIST, Role.HEAD, Role.REGIONAL_METHODOLOGIST})


def persons_kept_by(school_ids: Collection[int] | QuerySet, *, today: dt.date) -> QuerySet[Person]:
    """The persons the schools keep (workbook.md, «Who may change what»): those whose main
    employment active today is at one of them, or, with no main employment active today,
    whose latest employment was there. The latest is the one ending last (an open one never
    ends), then the one hired last. `school_ids`: ids, or a queryset of ids. One query: a
    person's employments are read in SQL."""
    employments = Employment.objects.filter(person=OuterRef("pk"))
    main_today = employments.filter(employed_at(today), workplace=Employment.Workplace.MAIN)
    latest_school = Subquery(employments.order_by(*Employment.LATEST_FIRST).values("school_id")[:1])
    # Only a person employed at one of them (ever) may be kept: that narrows the persons
    # first, through the employments' school index, before the per-person subqueries.
    employed_here = Employment.objects.filter(school_id__in=school_ids).values("person_id")
    return Person.objects.filter(pk__in=employed_here).filter(
        Exists(main_today.filter(school_id__in=school_ids))
        | (~Exists(main_today) & In(latest_school, school_ids))
    )


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str]
    school_ids: frozenset[int]  # schools administered (school administrators)
    district_ids: frozenset[int] | None  # districts read in full; None means every district

    @property
    def is_district_staff(self) -> bool:
        return bool(self.roles & DISTRICT_ROLES)

    @property
    def is_school_admin(self) -> bool:
        return Role.SCHOOL_ADMIN in self.roles

    @property
    def is_regional(self) -> bool:
        return Role.REGIONAL_METHODOLOGIST in self.roles

    @property
    def is_regionwide(self) -> bool:
        """Reads every district (a regional methodologist)."""
        return self.district_ids is None

    @property
    def decides_providers(self) -> bool:
        """Methodologists confirm the providers schools propose (`profdev.providers`)."""
        return bool(self.roles & {Role.METHODOLOGIST, Role.REGIONAL_METHODOLOGIST})

    @property
    def can_sign(self) -> bool:
        return Role.HEAD in self.roles

    @property
    def is_anyone(self) -> bool:
        return self.is_district_staff or self.is_school_admin

    def districts(self) -> QuerySet[District]:
        if not self.is_district_staff:
            return District.objects.filter(schools__id__in=self.school_ids).distinct()
        return self.in_districts(District.objects.all(), "pk")

    def schools(self) -> QuerySet[School]:
        """Schools whose data the user reads."""
        if self.is_district_staff:
            if self.is_regionwide:
                return School.objects.all()
            return School.objects.filter(
                Q(district_id__in=self.district_ids) | Q(id__in=self.school_ids)
            )
        return School.objects.filter(id__in=self.school_ids)

    def in_districts(self, queryset: QuerySet, path: str) -> QuerySet:
        """The rows of `queryset` in the districts the user reads in full, the district reached
        by `path` (e.g. "monitoring_year__district"): every row region-wide, none for a user
        without a district role."""
        if self.is_regionwide:
            return queryset
        return queryset.filter(**{f"{path}__in": self.district_ids})

    def reads_district(self, district_id: int) -> bool:
        """`in_districts` for one district already at hand."""
        return self.is_regionwide or district_id in self.district_ids

    def editable_schools(self) -> QuerySet[School]:
        """Schools whose staff and records the user may change (data entry and upload)."""
        return self.schools()

    def persons(self) -> QuerySet[Person]:
        if self.is_regionwide:
            return Person.objects.all()
        at_visible_school = Exists(
            Employment.objects.filter(person=OuterRef("pk"), school__in=self.schools())
        )
        if self.is_district_staff:
            # A person whose last employment was deleted keeps their records (workbook.md):
            # the staff of that employment's district still reach them (portal.md); a person
            # never employed (no district stored), only regional staff.
            no_employment = ~Exists(Employment.objects.filter(person=OuterRef("pk")))
            left_here = no_employment & Q(last_district__in=self.district_ids)
            return Person.objects.filter(at_visible_school | left_here)
        return Person.objects.filter(at_visible_school)

    def kept_persons(self) -> QuerySet[Person]:
        """The persons whose own fields and records the user reads in full and changes: for
        district staff everyone in scope, for a school administrator those their schools keep
        (`persons_kept_by`); the other persons in scope show only their name and employments
        at the user's schools."""
        if self.is_district_staff:
            return self.persons()
        return persons_kept_by(self.school_ids, today=timezone.localdate())

    def keeps(self, person: Person) -> bool:
        return self.is_district_staff or self.kept_persons().filter(pk=person.pk).exists()

    def records(self, model) -> QuerySet:
        """Records of a kind that belong to persons kept (or schools, for vacancies); a
        mentorship pair when either side is kept; employments also at the user's schools."""
        if hasattr(model, "school") and not hasattr(model, "person"):
            return model.objects.filter(school__in=self.schools())
        persons = self.kept_persons()
        if model is Employment:
            return model.objects.filter(Q(school__in=self.schools()) | Q(person__in=persons))
        if hasattr(model, "mentor"):
            return model.objects.filter(Q(mentor__in=persons) | Q(mentee__in=persons))
        return model.objects.filter(person__in=persons)

    def school_or_404(self, code: str) -> School:
        try:
            return self.schools().get(code=code)
        except School.DoesNotExist:
            raise Http404 from None

    def person_or_404(self, pk: int) -> Person:
        try:
            return self.persons().get(pk=pk)
        except Person.DoesNotExist:
            raise Http404 from None

    def require_district_staff(self) -> None:
        if not self.is_district_staff:
            raise Http404


EMPTY_SCOPE = Scope(frozenset(), frozenset(), frozenset())


def scope_for(user) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_profdev_scope", None)
    if cached is not None:
        return cached
    grants = list(
        RoleGrant.objects.filter(user=user).values_list("role", "school_id", "district_id")
    )
    roles = frozenset(role for role, _, _ in grants)
    school_ids = frozenset(s for role, s, _ in grants if role == Role.SCHOOL_ADMIN and s)
    if Role.REGIONAL_METHODOLOGIST in roles:
        district_ids = None
    else:
        district_ids = frozenset(d for role, _, d in grants if role in DISTRICT_ROLES and d)
    scope = Scope(roles, school_ids, district_ids)
    user._profdev_scope = scope
    return scope
