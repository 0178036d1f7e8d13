"""A provider not in the list, typed into the course form: the school's own proposal until a
methodologist confirms it (everyone sees it), merges it into a listed one (its courses move)
or rejects it."""

import datetime as dt

import pytest
from django.urls import reverse

from profdev.models import ChangeRecord, CourseCompletion, Provider, ProviderDecision
from tests import factories
from tests.html import page, texts
from tests.profdev.test_views_forms import add_url, course_data

D = dt.date
NEW = "АНО ДПО «Школа учителя»"


@pytest.fixture
def teacher(school):
    return factories.EmploymentFactory(school=school, hired_on=D(2015, 9, 1)).person


@pytest.fixture
def other_teacher(other_school):
    return factories.EmploymentFactory(school=other_school, hired_on=D(2015, 9, 1)).person


@pytest.fixture
def listed(db):
    return factories.ProviderFactory(name="ГАУ ДПО «Институт развития образования»")


def propose(client, person, name=NEW, **overrides):
    data = {**course_data(Provider(), new_provider=name, **overrides), "provider": ""}
    return client.post(add_url(person, "courses"), data)


def provider_options(client, person) -> list[str]:
    html = page(client.get(add_url(person, "courses")))
    return texts(html, "//select[@name='provider']/option")[1:]


@pytest.fixture
def proposal(client_for, school_admin, teacher, listed):
    response = propose(client_for(school_admin), teacher)
    assert response.status_code == 302
    return Provider.objects.get(name=NEW)


def test_a_typed_name_becomes_the_schools_proposal(proposal, school, teacher):
    assert not proposal.confirmed
    assert proposal.kind == Provider.Kind.EXTERNAL
    assert list(proposal.proposed_by.all()) == [school]
    assert CourseCompletion.objects.get(person=teacher).provider == proposal


def test_the_school_chooses_its_proposal_next_time(client_for, school_admin, proposal, teacher):
    assert provider_options(client_for(school_admin), teacher) == [
        f"{NEW} (предложена ОО, не подтверждена)",
        "ГАУ ДПО «Институт развития образования»",
    ]


def test_another_school_neither_sees_nor_may_choose_it(
    client_for, other_school_admin, proposal, other_teacher
):
    client = client_for(other_school_admin)
    assert provider_options(client, other_teacher) == ["ГАУ ДПО «Институт развития образования»"]
    response = client.post(add_url(other_teacher, "courses"), course_data(proposal))
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not CourseCompletion.objects.filter(person=other_teacher).exists()


def test_the_same_name_typed_by_another_school_joins_the_proposal(
    client_for, other_school_admin, proposal, other_teacher, school, other_school
):
    response = propose(
        client_for(other_school_admin), other_teacher, name=" анО дпо «школа учителя» "
    )
    assert response.status_code == 302
    assert Provider.objects.filter(name_key=proposal.name_key).count() == 1
    assert set(proposal.proposed_by.all()) == {school, other_school}


def test_a_listed_name_typed_is_the_listed_provider(client_for, school_admin, teacher, listed):
    response = propose(
        client_for(school_admin), teacher, name="гау дпо «институт развития образования»"
    )
    assert response.status_code == 302
    assert Provider.objects.count() == 1
    assert CourseCompletion.objects.get().provider == listed


def test_both_chosen_and_typed_is_refused(client_for, school_admin, teacher, listed):
    data = course_data(listed, new_provider=NEW)
    response = client_for(school_admin).post(add_url(teacher, "courses"), data)
    assert "выберите организацию из списка или впишите новую, не обе" in response.content.decode()
    assert not Provider.objects.filter(name=NEW).exists()


def test_a_refused_course_leaves_no_proposal(client_for, school_admin, teacher, listed):
    response = propose(client_for(school_admin), teacher, hours="десять")
    assert response.status_code == 200
    assert not Provider.objects.filter(name=NEW).exists()


def test_a_methodologists_new_name_is_listed_at_once(client_for, methodologist, teacher):
    assert propose(client_for(methodologist), teacher).status_code == 302
    assert Provider.objects.get(name=NEW).confirmed


def test_the_course_for_many_proposes_too(client_for, school_admin, school, teacher, listed):
    data = {**course_data(Provider(), new_provider=NEW), "provider": "", "person": [teacher.pk]}
    response = client_for(school_admin).post(reverse("course_add_many", args=[school.code]), data)
    assert response.status_code == 302
    assert list(Provider.objects.get(name=NEW).proposed_by.all()) == [school]


# --- the methodologist's decisions ------------------------------------------------------------

LIST_URL = reverse("proposed_providers")


def decide(client, proposal, action, **data):
    return client.post(reverse(f"provider_{action}", args=[proposal.pk]), data, follow=True)


def test_the_methodologist_lists_the_proposals(client_for, methodologist, proposal):
    html = page(client_for(methodologist).get(LIST_URL))
    assert texts(html, "//section//h2") == [NEW]
    assert "Предложили: S-A" in html.text_content() or "Предложили:" in html.text_content()


def test_confirming_lists_it_for_everyone(
    client_for, methodologist, other_school_admin, proposal, other_teacher
):
    response = decide(client_for(methodologist), proposal, "confirm", name=NEW, kind="regional")
    assert "подтверждена: теперь её видят все ОО" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.confirmed and proposal.kind == "regional"
    decision = ProviderDecision.objects.get()
    assert (decision.action, decision.name, decision.decided_by) == (
        "confirmed",
        NEW,
        methodologist,
    )
    assert NEW in provider_options(client_for(other_school_admin), other_teacher)


def test_confirming_under_a_listed_name_is_refused(client_for, methodologist, proposal, listed):
    response = decide(
        client_for(methodologist), proposal, "confirm", name=listed.name, kind="external"
    )
    assert f"Организация «{listed.name}» уже есть в списке" in response.content.decode()
    proposal.refresh_from_db()
    assert not proposal.confirmed and proposal.name == NEW


def test_merging_moves_the_courses(client_for, methodologist, proposal, listed, teacher):
    response = decide(client_for(methodologist), proposal, "merge", target=listed.pk)
    assert f"«{NEW}» объединена с «{listed.name}»: 1 курс перенесён." in response.content.decode()
    assert not Provider.objects.filter(pk=proposal.pk).exists()
    assert CourseCompletion.objects.get(person=teacher).provider == listed
    change = ChangeRecord.objects.get(action="update", person=teacher)
    assert change.changes == {"provider": [NEW, listed.name]}
    decision = ProviderDecision.objects.get()
    assert (decision.action, decision.provider_name, decision.courses) == ("merged", listed.name, 1)


def test_merging_refuses_a_course_already_there(
    client_for, methodologist, proposal, listed, teacher
):
    course = CourseCompletion.objects.get(person=teacher)
    factories.CourseFactory(
        person=teacher,
        kind=course.kind,
        programme=course.programme,
        provider=listed,
        finished_on=course.finished_on,
    )
    response = decide(client_for(methodologist), proposal, "merge", target=listed.pk)
    assert (
        f"Объединить нельзя: в «{listed.name}» уже записаны те же курсы ({teacher.full_name} — "
        f"«{course.programme}», 15.11.2024)"
    ) in response.content.decode()
    assert CourseCompletion.objects.get(pk=course.pk).provider == proposal
    assert not ProviderDecision.objects.exists()


def test_rejecting_is_refused_while_courses_use_it(client_for, methodologist, proposal):
    response = decide(client_for(methodologist), proposal, "reject")
    assert "Отклонить нельзя: по организации внесено курсов — 1." in response.content.decode()
    assert Provider.objects.filter(pk=proposal.pk).exists()


def test_rejecting_an_unused_proposal(client_for, methodologist, proposal):
    CourseCompletion.objects.all().delete()
    response = decide(client_for(methodologist), proposal, "reject")
    assert f"Предложение «{NEW}» отклонено." in response.content.decode()
    assert not Provider.objects.filter(pk=proposal.pk).exists()
    html = page(client_for(methodologist).get(LIST_URL))
    assert texts(html, "//table/tbody/tr/td[2]") == [NEW]
    assert texts(html, "//table/tbody/tr/td[4]") == ["отклонена"]


@pytest.mark.parametrize("action", ["confirm", "merge", "reject"])
def test_only_a_methodologist_decides(client_for, school_admin, head, proposal, listed, action):
    for user in (school_admin, head):
        response = client_for(user).post(
            reverse(f"provider_{action}", args=[proposal.pk]),
            {"name": NEW, "kind": "regional", "target": listed.pk},
        )
        assert response.status_code == 404
    assert Provider.objects.get(pk=proposal.pk).confirmed is False


def test_another_districts_methodologist_does_not_see_it(client_for, proposal):
    other = factories.DistrictFactory(code="OTHER", name="Другой район")
    user = factories.UserFactory()
    factories.RoleGrantFactory(user=user, role="methodologist", district=other)
    client = client_for(user)
    assert texts(page(client.get(LIST_URL)), "//section//h2") == []
    assert client.post(reverse("provider_reject", args=[proposal.pk])).status_code == 404


def test_the_list_takes_a_fixed_number_of_queries(
    client_for, methodologist, proposal, django_assert_num_queries, school, listed
):
    for n in range(3):
        extra = factories.ProviderFactory(name=f"Организация {n}", confirmed=False)
        extra.proposed_by.add(school)
    client = client_for(methodologist)
    client.get(LIST_URL)
    with django_assert_num_queries(10):  # session, user, roles, 4 reads, session saved
        client.get(LIST_URL)


def test_the_providers_page_counts_a_proposed_provider(client_for, methodologist, proposal):
    from monitoring.reports import providers_report

    report = providers_report(proposal.proposed_by.get().district, 2024, three_years=False)
    assert proposal in [row.provider for row in report.rows]
