"""Login throttling (django-axes) behind a reverse proxy.

Behind nginx every request comes from the proxy's address, so the client's address is read
from `X-Forwarded-For` — but only when the request really came from a trusted proxy
(`PROFDEV_TRUSTED_PROXIES`): anybody else could write any address there. Each proxy appends
the address it received the request from, so the client is the last address in the header
that is not a trusted proxy itself; whatever stands left of it was written by the client.

Two limits: AXES_FAILURE_LIMIT failures for a username from an address lock that pair (the
head is not locked out by somebody guessing her password elsewhere), and
PROFDEV_ADDRESS_FAILURE_LIMIT failures from an address over any usernames lock the address.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return any(address in network for network in settings.PROFDEV_TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None or not _trusted(peer):
        return str(peer) if peer else None
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a trusted proxy never writes garbage: stop at the proxy's own address
        if not _trusted(address):
            return str(address)
    return str(peer)


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler plus the limit per address over any usernames."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        from_address = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (from_address or 0) >= settings.PROFDEV_ADDRESS_FAILURE_LIMIT:
            request.profdev_address_locked = True
            return max(failures, get_failure_limit(request, credentials))
        return failures
