"""Who may see what: the one place where a user's scope is decided.

Every view and export asks `scope_for(request.user)` for its querysets; an object that
is not in them answers 404. A school administrator sees the persons with an employment
at their schools (current or past) with all their records; methodologists and the head
see their district; a regional methodologist sees every district.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from profdev.models import District, Employment, Person, RoleGrant, School

Role = RoleGrant.Role
DISTRICT_ROLES = frozenset({Role.METHODOLOGIST, Role.HEAD, Role.REGIONAL_METHODOLOGIST})


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
    def can_sign(self) -> bool:
        return Role.HEAD in self.roles

    @property
    def is_anyone(self) -> bool:
        return self.is_district_staff or self.is_school_admin

    def districts(self) -> QuerySet[District]:
        if not self.is_district_staff:
            return District.objects.filter(schools__id__in=self.school_ids).distinct()
        if self.district_ids is None:
            return District.objects.all()
        return District.objects.filter(id__in=self.district_ids)

    def schools(self) -> QuerySet[School]:
        """Schools whose data the user reads."""
        if self.is_district_staff:
            if self.district_ids is None:
                return School.objects.all()
            return School.objects.filter(
                Q(district_id__in=self.district_ids) | Q(id__in=self.school_ids)
            )
        return School.objects.filter(id__in=self.school_ids)

    def editable_schools(self) -> QuerySet[School]:
        """Schools whose staff and records the user may change (data entry and upload)."""
        return self.schools()

    def persons(self) -> QuerySet[Person]:
        if self.is_district_staff and self.district_ids is None:
            return Person.objects.all()
        at_visible_school = Exists(
            Employment.objects.filter(person=OuterRef("pk"), school__in=self.schools())
        )
        if self.is_district_staff:
            # A person whose last employment was deleted keeps their records (workbook.md);
            # the district's methodologists still reach them.
            no_employment = ~Exists(Employment.objects.filter(person=OuterRef("pk")))
            return Person.objects.filter(at_visible_school | no_employment)
        return Person.objects.filter(at_visible_school)

    def records(self, model) -> QuerySet:
        """Records of a kind that belong to persons in scope (or schools, for vacancies)."""
        if hasattr(model, "school") and not hasattr(model, "person"):
            return model.objects.filter(school__in=self.schools())
        if hasattr(model, "mentor"):
            persons = self.persons()
            return model.objects.filter(Q(mentor__in=persons) | Q(mentee__in=persons))
        return model.objects.filter(person__in=self.persons())

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
