"""Cores a batch lends to the files still reading (see `pipeline.page_pool`).

Apart from the page pool so that the batch's own process can make one without loading
the page reader's libraries.
"""

from __future__ import annotations

import multiprocessing.context


class CoreLoan:
    """Cores a batch lends to its files' page pools: a counting semaphore shared by the batch's processes.

    The batch gives a core back when a file ends and no file is left to start in its place
    (`give_back`); a pool borrows one (`borrow`, never waiting) for a worker beyond its size
    while it has pages waiting, and gives it back when its pages are read.
    """

    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self._cores = context.Semaphore(0)

    def borrow(self) -> bool:
        return self._cores.acquire(block=False)

    def give_back(self, count: int = 1) -> None:
        for _ in range(count):
            self._cores.release()
