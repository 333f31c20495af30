"""The serving process's heap: a served index lives until the next one replaces it.

CPython's cyclic garbage collector walks every tracked object in a full collection, holding the
GIL. A served index holds a few hundred thousand of them (the analyzer's remembered words among
them), and adding a batch of articles allocates as many again, which sets off full collections:
answers asked meanwhile stalled for 100 ms and more (benchmarks/bench_answer_path.py at 1M
sentences). Objects that live as long as the index are moved out of the collector's reach
(``gc.freeze``), as servers do after they load.
"""

from __future__ import annotations

import gc


def keep_served(*, collect_first: bool) -> None:
    """Exempt every object alive now (the engine just served among them) from cyclic collection.

    Frozen objects are still freed by reference counting (an engine replaced later goes as
    usual); only cyclic garbage frozen with them would stay, so ``collect_first`` clears it
    before the first freeze, where a start leaves plenty. Later swaps freeze without it: one
    full collection is the very stall this avoids, and between swaps little such garbage waits.
    """
    if collect_first:
        gc.collect()
    gc.freeze()
