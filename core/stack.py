"""Room on the interpreter's frame stack for a whole request.

CPython 3.11 keeps Python frames in 16 KB chunks and frees a chunk as soon as the frame that
opened it returns. A loop running at a chunk's edge (a template's `for` calling its nodes)
therefore maps and unmaps a chunk on every call. Measured at 1,000,000 members, the home page
made 66,000 mmap/munmap pairs in 32 requests; with one more middleware (one frame deeper),
133,000. Its templates took 24 ms of CPU, and 39 ms one frame deeper (docs/benchmarks.md, "One
million members on PostgreSQL, a fifth time"). CPython fixed it in 3.13 and 3.14 by keeping one
chunk (gh-142183); 3.11 only takes security fixes.

So each request starts inside one frame large enough that CPython gives it a 128 KB chunk.
About 60 KB is left above that frame, and the request's frames stay in it, at whatever depth
the templates reach.
"""

import types

# Slots of 8 bytes: a frame of about 66 KB, the next power of two above 64 KB (a 128 KB chunk).
ROOM_SLOTS = 8_300


def _enter(call, request):
    return call(request)


# The same function with ROOM_SLOTS locals it never touches: only its frame's size changes.
_roomy = types.FunctionType(
    _enter.__code__.replace(
        co_varnames=_enter.__code__.co_varnames + tuple(f"_{i}" for i in range(ROOM_SLOTS)),
        co_nlocals=_enter.__code__.co_nlocals + ROOM_SLOTS,
    ),
    globals(),
    "roomy",
)


class RoomyStack:
    """First in MIDDLEWARE: the rest of the request runs above the roomy frame."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return _roomy(self.get_response, request)
