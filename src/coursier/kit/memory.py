"""Memory given back to the system after large work, and kept out of the collector's way.

CPython returns what it frees to the C allocator, which keeps it for later: glibc's malloc gives
the top of its heap back, but the free pages inside it (and in the arenas of other threads) stay
resident. After a large request the process would keep its peak size for good; `malloc_trim`
hands those pages back. Without glibc (macOS, musl) there is nothing to call and nothing is done.
"""

import ctypes
import ctypes.util
import gc


def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


# A CDLL function: the call releases the GIL, other threads go on meanwhile.
_trim = _malloc_trim()


def give_back() -> None:
    """Return the C heap's free pages to the system (every arena, keeping no padding)."""
    if _trim is not None:
        _trim(0)


def settle() -> None:
    """Put everything alive once a process has started (a server: modules, settings; a CPU worker:
    compiled schemas, rule books) out of the cyclic collector's reach. A full collection otherwise
    walks those millions of long-lived objects again each time it runs, pausing every request of the
    process for ~100 ms (seen as the p99 of bench/listing.py); after this it walks only what requests
    allocate."""
    gc.collect()
    gc.freeze()
