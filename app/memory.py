"""Building many objects at once (core: used by the reports and the import)."""

import gc
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused():
    """Pause the cyclic garbage collector while hundreds of thousands of acyclic rows, facts
    and results are built and kept: each of its full passes rescans the growing heap (a
    quarter of a province-wide report, half of a large import), and nothing built there forms
    a cycle. Reference counting still frees everything; collection resumes on exit (even on
    error) unless it was already off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
