"""Several districts from the command line: a regional methodologist, per-district computation,
and the region page that reads what the commands stored."""

import io

from django.core.management import call_command
from django.urls import reverse

from monitoring.models import IndicatorValue
from profdev.models import RoleGrant
from profdev.scoping import scope_for
from tests import factories
from tests.monitoring.conftest import teacher


def test_regional_methodologist_computes_each_district_and_reads_the_region(client, district):
    other = factories.DistrictFactory(code="OT", name="Другой район")
    teacher(factories.SchoolFactory(district=district, code="S-A"))
    teacher(factories.SchoolFactory(district=other, code="S-O"))
    teacher(factories.SchoolFactory(district=other, code="S-P"))

    call_command("grant_role", "regional", "regional_methodologist", stdout=io.StringIO())
    for code in ("ZH", "OT"):
        call_command(
            "compute_indicators", "--year", "2024", "--district", code, stdout=io.StringIO()
        )

    grant = RoleGrant.objects.get(user__username="regional")
    assert grant.district is None
    assert set(scope_for(grant.user).districts()) == {district, other}
    diag = IndicatorValue.objects.filter(indicator="DIAG", school=None)
    assert sorted(diag.values_list("monitoring_year__district__code", "denominator")) == [
        ("OT", 2),
        ("ZH", 1),
    ]
    client.force_login(grant.user)
    page = client.get(reverse("monitoring:region", args=[2024])).content.decode()
    # The region pools 0 of 1 and 0 of 2.
    assert 'title="0 из 3: ниже целевого значения, за пределами допуска">0,0\u00a0%' in page
