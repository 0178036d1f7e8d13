"""Search as you type for people: the names matching what was typed among the people of
one school, as JSON for `static/js/people_search.js` (the staff list's search box, the
mentor, mentee and route person pickers). Scoped as the staff list: a school outside the
user's scope answers 404; only GET."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from profdev import selectors
from profdev.context_processors import page_school_or_404
from profdev.models import Person
from profdev.scoping import scope_for

NAME_FIELDS = ("last_name", "first_name", "middle_name")
SHOWN = 20  # suggestions at most: type more to narrow them
SHORTEST = 2  # letters typed before anything is searched


@require_GET
@login_required
def people_search(request: HttpRequest, code: str) -> JsonResponse:
    scope = scope_for(request.user)
    school = page_school_or_404(request, code)
    search = " ".join(request.GET.get("q", "").split())[:100]
    if len(search) < SHORTEST:
        return JsonResponse({"results": [], "more": False})
    query = selectors.StaffQuery(search=search, status="active")
    rows = selectors.staff_employments(
        school, query, today=timezone.localdate(), kept=scope.kept_persons()
    ).values("person_id", "position", *(f"person__{f}" for f in NAME_FIELDS))
    results, seen = [], set()
    for row in rows[: SHOWN * 3]:  # one row per employment: a person may hold two
        if row["person_id"] in seen:
            continue
        seen.add(row["person_id"])
        person = Person(**{f: row[f"person__{f}"] for f in NAME_FIELDS})
        results.append(
            {
                "id": row["person_id"],
                "name": person.full_name,
                "detail": row["position"],
                "url": reverse("person_card", args=[row["person_id"]]),
            }
        )
    return JsonResponse({"results": results[:SHOWN], "more": len(results) > SHOWN})
