"""The access-control audit: every URL of the site × every role, as docs/access-control.md
says (the table there is the one source: this test reads it). A URL pattern missing from
the table fails the audit, so no new view escapes it."""

from django.db import transaction
from django.test import Client

from tests.security.access import DOC, ROLES, routes, table


def test_every_url_pattern_is_in_the_table():
    documented = [rule.route for rule in table()]
    assert sorted(set(routes()) - set(documented)) == [], f"add them to {DOC.name}"
    assert sorted(set(documented) - set(routes())) == [], "the table names URLs that are gone"
    assert len(documented) == len(set(documented))


def outcome(user, method: str, url: str) -> tuple[int, str]:
    """Status and redirect target of one request by `user` (None: anonymous) from a fresh
    session, its side effects undone: each check starts from the same data."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = client.post(url) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    return response.status_code, response.get("Location", "")


def test_every_url_answers_every_role_as_the_table_says(world, samples):
    rules = table()
    mismatches, checked = [], 0
    for rule in rules:
        url = rule.url.format(**samples)
        for role in ROLES:
            status, location = outcome(world.users.get(role), rule.method, url)
            checked += 1
            expected = rule.expected[role]
            to_login = role != "anonymous" or status != 302 or "login/" in location
            if status != expected or not to_login:
                mismatches.append(
                    f"{rule.method} {url} ({role}): {status} {location}, ждали {expected}"
                )
    assert mismatches == []
    assert checked == len(rules) * len(ROLES) >= 400
    print(f"\nАудит доступа: {len(rules)} адресов × {len(ROLES)} ролей = {checked} запросов")
