"""Large loads and computations run without the cyclic garbage collector.

A workbook import or a year's computation allocates hundreds of thousands of rows, values
and tuples, none in a cycle; every collection their allocations trigger walks every object
of the process again (a fifth to a quarter of their CPU at 300 schools). Reference counting
frees them as before.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def uncollected() -> Iterator[None]:
    """No cyclic garbage collection meanwhile (as a decorator too: `@uncollected()`); the
    collector resumes on leaving if it ran on entering."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
