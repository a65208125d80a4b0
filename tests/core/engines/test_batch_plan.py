"""How one translation call is cut into sub-batches for parallel workers."""

from __future__ import annotations

import pytest

from app.core.engines.batch_plan import batch_cost, makespan, plan_batches


def _flat(plan):
    return sorted(i for batch in plan for i in batch)


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
@pytest.mark.parametrize(
    "lengths",
    [[5], [7, 7], [110, 49, 44, 37, 35, 31, 29, 25, 20, 13, 11, 7, 4], list(range(1, 40))],
)
def test_every_text_is_in_exactly_one_batch(lengths, workers):
    budgets = [round(n * 0.9) + 1 for n in lengths]
    plan = plan_batches(lengths, budgets, workers)
    assert _flat(plan) == list(range(len(lengths)))
    assert all(plan)


def test_no_texts_no_batches():
    assert plan_batches([], [], 2) == []


def test_one_worker_gets_one_batch_longest_first():
    assert plan_batches([3, 9, 5], [3, 9, 5], 1) == [[1, 2, 0]]


def test_a_long_sentence_does_not_pad_the_short_ones():
    # one 110-token sentence among short ones (the benchmark article's shape)
    lengths = [110] + [30] * 8 + [12] * 10
    budgets = [92] + [25] * 8 + [10] * 10
    plan = plan_batches(lengths, budgets, 2)
    with_long = next(batch for batch in plan if 0 in batch)
    assert all(lengths[i] >= 30 for i in with_long)  # no 12-token text padded to 110
    assert len(plan) >= 2  # both workers have work


def test_batches_are_submitted_costliest_first():
    lengths = [110] + [30] * 8 + [12] * 10
    budgets = [92] + [25] * 8 + [10] * 10
    plan = plan_batches(lengths, budgets, 2)
    costs = [batch_cost([lengths[i] for i in b], [budgets[i] for i in b]) for b in plan]
    assert costs == sorted(costs, reverse=True)


def test_the_plan_is_no_slower_by_its_estimate_than_dealing_out_evenly():
    lengths = [110, 49, 44, 37, 35, 31, 31, 29, 29, 29, 28, 27, 26, 25, 25, 23, 23, 22, 20, 19]
    budgets = [92, 49, 32, 31, 31, 31, 30, 30, 30, 30, 25, 23, 22, 22, 22, 21, 21, 20, 17, 17]
    plan = plan_batches(lengths, budgets, 2)

    def estimate(batches):
        costs = sorted(
            (batch_cost([lengths[i] for i in b], [budgets[i] for i in b]) for b in batches),
            reverse=True,
        )
        return makespan(costs, 2)

    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    halves = [order[0::2], order[1::2]]
    assert estimate(plan) < estimate(halves)


def test_makespan_sends_each_batch_to_the_first_free_worker():
    assert makespan([5, 3, 3], 2) == 6
    assert makespan([5, 3, 3], 1) == 11
    assert makespan([], 2) == 0


def test_batch_cost_counts_padding():
    # the same texts cost more when one long text pads them
    assert batch_cost([10, 10], [8, 8]) < batch_cost([40, 10], [8, 8])
    assert batch_cost([], []) == 0
