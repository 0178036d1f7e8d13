"""What the apps above the records add to profdev's features, registered in their
`AppConfig.ready()`.

The layers point one way (monitoring reads the records, the letters read monitoring, the
measures read the letters): `profdev` imports none of them. Where one of its features reaches
their data — the demo district (`load_demo`), a person's data under 152-ФЗ — it calls what
they registered here. A function is registered by its dotted path and imported when first
called, so that registering loads none of the apps' heavy modules (PDF, signing).
"""

from collections.abc import Callable

from django.utils.module_loading import import_string

# Title → function returning a one-line Russian summary; run after the records' own steps in
# the order added (the apps are ready in INSTALLED_APPS order, lower layers first).
DEMO_STEPS: dict[str, Callable[[], str]] = {}
# Title («подписанные письма») → function counting, for a person, the documents that name
# them and are kept as they are when the person is erased.
KEPT_MENTIONS: dict[str, Callable[..., int]] = {}


def _imported_when_called(path: str) -> Callable:
    return lambda *args: import_string(path)(*args)


def add_demo_step(title: str, path: str) -> None:
    DEMO_STEPS[title] = _imported_when_called(path)


def add_kept_mentions(title: str, path: str) -> None:
    KEPT_MENTIONS[title] = _imported_when_called(path)
