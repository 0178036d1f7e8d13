"""Login throttling behind nginx: the client's address comes from the proxy's header, the
head is not locked out from elsewhere, an address guessing over many usernames is locked."""

import datetime as dt
import ipaddress

import pytest
from django.test import RequestFactory
from django.urls import reverse

from profdev.login_throttle import client_ip
from profdev.models import RoleGrant
from profdev.roles import grant_role

PASSWORD = "верный-пароль-2025"
PROXY = "127.0.0.1"
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
LOCKED = "Вход для этой учётной записи с вашего адреса заблокирован на 15 минут"
ADDRESS_LOCKED = "Вход с него заблокирован на 15 минут"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(START, tick=False)


@pytest.fixture
def head(district):
    return grant_role(
        username="nachalnik",
        role=RoleGrant.Role.HEAD,
        district_code=district.code,
        password=PASSWORD,
    ).user


def via_nginx(client, username, password, client_address, spoofed=""):
    """A login POST as nginx passes it on: from the proxy, the client's address appended."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_failures_from_an_attacker_behind_nginx_do_not_lock_the_head_out(client, head):
    for attempt in range(5):
        via_nginx(client, "nachalnik", f"неверный-{attempt}", "203.0.113.5")
    locked = via_nginx(client, "nachalnik", PASSWORD, "203.0.113.5")
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()

    response = via_nginx(client, "nachalnik", PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_an_address_the_client_writes_into_the_header_is_ignored(client, head):
    """Neither a direct client's header nor what a client wrote left of nginx's entry counts."""
    for attempt in range(5):
        client.post(
            reverse("login"),
            {"username": "nachalnik", "password": f"неверный-{attempt}"},
            REMOTE_ADDR="192.0.2.66",
            HTTP_X_FORWARDED_FOR=f"10.9.8.{attempt}",
        )
    direct = client.post(
        reverse("login"),
        {"username": "nachalnik", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.66",
        HTTP_X_FORWARDED_FOR="10.9.8.200",
    )
    assert direct.status_code == 429

    for attempt in range(5):
        via_nginx(client, "nachalnik", f"неверный-{attempt}", "203.0.113.9", f"10.0.0.{attempt}")
    proxied = via_nginx(client, "nachalnik", PASSWORD, "203.0.113.9", spoofed="10.0.0.200")
    assert proxied.status_code == 429


def test_an_address_trying_many_usernames_is_locked_for_every_username(client, head):
    for number in range(12):
        for attempt in range(3):
            via_nginx(client, f"учитель-{number}", f"неверный-{attempt}", "203.0.113.77")

    refused = via_nginx(client, "nachalnik", PASSWORD, "203.0.113.77")
    assert refused.status_code == 429
    assert ADDRESS_LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session

    assert via_nginx(client, "nachalnik", PASSWORD, "198.51.100.7").status_code == 302


def test_the_address_limit_counts_failures_over_usernames(client, head, settings):
    settings.PROFDEV_ADDRESS_FAILURE_LIMIT = 8
    for number in range(4):
        for attempt in range(2):
            via_nginx(client, f"учитель-{number}", f"неверный-{attempt}", "203.0.113.78")
    assert via_nginx(client, "nachalnik", PASSWORD, "203.0.113.78").status_code == 429


def test_under_the_address_limit_other_usernames_still_log_in(client, head, time_machine):
    for number in range(6):
        for attempt in range(3):
            via_nginx(client, f"учитель-{number}", f"неверный-{attempt}", "203.0.113.79")
    assert via_nginx(client, "nachalnik", PASSWORD, "203.0.113.79").status_code == 302


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", "", "203.0.113.5"),
        ("203.0.113.5", "10.0.0.1", "203.0.113.5"),  # not from the proxy: header ignored
        (PROXY, "", PROXY),
        (PROXY, "198.51.100.7", "198.51.100.7"),
        (PROXY, "10.0.0.1, 198.51.100.7", "198.51.100.7"),  # the client wrote the first one
        (PROXY, "198.51.100.7, 127.0.0.1", "198.51.100.7"),  # a chain of trusted proxies
        (PROXY, "not-an-address", PROXY),
        ("::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_address(settings, remote, forwarded, expected):
    settings.PROFDEV_TRUSTED_PROXIES = [ipaddress.ip_network(n) for n in ("127.0.0.1", "::1")]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
