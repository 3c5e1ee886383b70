"""Memory freed by Python but kept by the C allocator goes back to the system, in the CPU workers
after each task and in the API process after each heavy request (bench/abuse.py measures both)."""

import subprocess
import sys

import pytest

from coursier.kit import cpu, memory

# In a fresh interpreter: 200 MB of blocks, one in a hundred kept, so the heap cannot shrink from
# its top; prints the resident MiB before and after `give_back`.
_FRAGMENTED_HEAP = """
import psutil
from coursier.kit import memory
blocks = [bytes(1000) for _ in range(200_000)]
kept = blocks[::100]
del blocks
before = psutil.Process().memory_info().rss
memory.give_back()
print(before // 2**20, psutil.Process().memory_info().rss // 2**20)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_freed_pages_inside_the_heap_are_given_back():
    out = subprocess.run([sys.executable, "-c", _FRAGMENTED_HEAP], capture_output=True, text=True, check=True)
    before, after = map(int, out.stdout.split())
    assert before - after > 100, (before, after)  # most of the 200 MB, which Python had already freed


def test_a_cpu_task_gives_its_memory_back_whatever_its_outcome(monkeypatch):
    given_back = []
    monkeypatch.setattr(memory, "give_back", lambda: given_back.append(True))
    assert cpu._then_give_back(divmod, (7, 2), {}) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        cpu._then_give_back(divmod, (7, 0), {})
    assert given_back == [True, True]


def test_a_heavy_request_gives_its_memory_back(api, tenant_a, monkeypatch):
    given_back = []
    monkeypatch.setattr(memory, "give_back", lambda: given_back.append(True))
    assert api.get("/api/clients", headers=tenant_a.headers).status_code == 200
    assert given_back == []  # a light request costs nothing
    r = api.post("/api/drafts/validate-data", json={"invoice_data": {}}, headers=tenant_a.headers)
    assert r.status_code == 200 and given_back == [True]


# In a fresh interpreter: long-lived containers, as a started server holds; prints how many objects
# are frozen, and how many a full collection would still walk.
_SETTLED = """
import gc
from coursier.kit import memory
kept = [[n] for n in range(200_000)]
memory.settle()
print(gc.get_freeze_count(), len(gc.get_objects(generation=2)))
"""


def test_a_settled_process_leaves_what_it_started_with_out_of_full_collections():
    out = subprocess.run([sys.executable, "-c", _SETTLED], capture_output=True, text=True, check=True)
    frozen, still_walked = map(int, out.stdout.split())
    assert frozen > 200_000 and still_walked < 1_000, (frozen, still_walked)
