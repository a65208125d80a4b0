"""Cutting one translation call into sub-batches for parallel CPU workers.

A greedy decoder's batch costs, roughly (measured on opus-mt-id-en in CTranslate2 int8, one
thread per worker, ``benchmarks/run.py``):

* the encoder, for every *padded* source token: a batch is padded to its longest text, so one
  long sentence makes every short one in its batch pay its length (about 0.1 ms a token);
* a fixed cost per decoding step, whatever the batch size: the decoder's and the output layer's
  weights are read once a step (about 3.7 ms), for as many steps as the batch's longest output;
* a small cost per text still decoding at each step (about 0.38 ms).

So one batch per worker is cheapest in total work, but a long sentence in it pads the others,
and one worker may get far more steps than the other. :func:`plan_batches` tries a few ways of
cutting the texts (sorted by length) into batches, schedules each longest-first on the workers
as CTranslate2's worker pool does (every batch goes to the first free worker), and keeps the
plan that finishes first by this estimate. The plan never changes what a text decodes to: each
text is decoded greedily on its own row, padding is masked.

Pure Python, no CTranslate2: the estimate is a handful of arithmetic per candidate.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

#: Estimated cost units (milliseconds on the reference machine) of the three parts above.
ENCODER_PER_PADDED_TOKEN = 0.1
DECODER_PER_STEP = 3.7
DECODER_PER_TOKEN = 0.38
#: Length ratios at which a sorted run of texts is cut into a new batch (a text shorter than
#: this share of its batch's longest one starts the next batch), tried with the other plans.
_BUCKET_RATIOS = (0.25, 0.4, 0.5, 0.6, 0.75)


def batch_cost(lengths: Sequence[int], budgets: Sequence[int]) -> float:
    """Estimated time of one batch: ``lengths`` are source tokens, ``budgets`` output tokens."""
    if not lengths:
        return 0.0
    return (
        ENCODER_PER_PADDED_TOKEN * len(lengths) * max(lengths)
        + DECODER_PER_STEP * max(budgets)
        + DECODER_PER_TOKEN * sum(budgets)
    )


def makespan(costs: Sequence[float], workers: int) -> float:
    """When the last worker finishes, each batch (in the given order) going to the first free
    worker."""
    free = [0.0] * max(1, workers)
    for cost in costs:
        start = heapq.heappop(free)
        heapq.heappush(free, start + cost)
    return max(free)


def _snake(order: list[int], workers: int) -> list[list[int]]:
    """One batch per worker, texts dealt longest first in a snake order (0, 1, 1, 0, ...)."""
    groups: list[list[int]] = [[] for _ in range(workers)]
    for rank, index in enumerate(order):
        turn, position = divmod(rank, workers)
        groups[position if turn % 2 == 0 else workers - 1 - position].append(index)
    return [g for g in groups if g]


def _buckets(order: list[int], lengths: Sequence[int], ratio: float) -> list[list[int]]:
    """Consecutive runs of the sorted texts; a text shorter than ``ratio`` x its run's first
    text starts a new run."""
    runs: list[list[int]] = []
    for index in order:
        if runs and lengths[index] >= ratio * lengths[runs[-1][0]]:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _longest_apart(order: list[int], workers: int) -> list[list[int]]:
    """The longest text alone, the rest dealt in a snake order to the other workers."""
    rest = _snake(order[1:], max(1, workers - 1)) if len(order) > 1 else []
    return [order[:1], *rest]


def plan_batches(lengths: Sequence[int], budgets: Sequence[int], workers: int) -> list[list[int]]:
    """Sub-batches (lists of indices into ``lengths``) for ``workers`` parallel workers, in the
    order to submit them (costliest first). Every index appears exactly once.

    Args:
        lengths: source tokens of each text.
        budgets: most output tokens of each text (its decoding steps at most).
        workers: parallel workers (CTranslate2 ``inter_threads``).
    """
    count = len(lengths)
    if count == 0:
        return []
    order = sorted(range(count), key=lambda i: (-lengths[i], -budgets[i], i))
    if workers <= 1 or count == 1:
        return [order]
    candidates = [_snake(order, workers), _longest_apart(order, workers)]
    candidates += [_buckets(order, lengths, ratio) for ratio in _BUCKET_RATIOS]
    best: list[list[int]] = []
    best_time = float("inf")
    for plan in candidates:
        costed = sorted(
            ((batch_cost([lengths[i] for i in b], [budgets[i] for i in b]), b) for b in plan),
            key=lambda cb: -cb[0],
        )
        estimate = makespan([c for c, _ in costed], workers)
        if estimate < best_time - 1e-9:
            best_time, best = estimate, [b for _, b in costed]
    return best
