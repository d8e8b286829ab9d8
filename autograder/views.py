"""Views: what of a result the grader compares when a right answer need not equal the reference's.

By default a hidden test's result must be the reference's, within the record's tolerance
(`autograder.verdict.same`). Some properties have many right answers: any shuffle partitions a
data set, and another valid denominator gives another relative error. A hidden test names a view
(`expect(..., view="partition")`); the grader, outside the student's kernel, maps both the
student's and the reference's result to the view's canonical form and compares those:

- `partition`: a list of mini-batches `(X_batch, Y_batch)` as its batch sizes, in order, and
  the multiset of its examples, the columns of X stacked on Y (so a label must stay with its
  example); the order of the examples is not compared;
- `gradient_check`: a relative error as its verdict, below 1e-7 (right), above 1e-3 (wrong), or
  in between;
- `final_cost`: a training run `(params, costs)` as the number of costs and the last one,
  compared within the record's `rtol`;
- `history`: a training run's per-epoch record `{"loss", "accuracy", "val_loss",
  "val_accuracy"}` as one finite entry per epoch in each list, and its last entries: the costs
  within the record's `rtol` (relative), the accuracies within its `atol` (absolute).

Each view's `compare(got, expected, label, rtol, atol)` raises `CheckFailed` with one sentence
that says what differs, in the words of the property, without the hidden input.
"""

import numpy as np

from nnscratch.checks import (
    HISTORY_KEYS,
    CheckFailed,
    describe,
    expect_array,
    expect_history,
    expect_number,
)

RIGHT, WRONG = 1e-7, 1e-3  # the thresholds of a gradient check's relative error


def _batches(result, label):
    """(batch sizes, examples): the sizes in order, and the columns of (X; Y), sorted."""
    if not isinstance(result, list) or not all(
        isinstance(batch, tuple)
        and len(batch) == 2
        and all(isinstance(part, np.ndarray) and part.ndim == 2 for part in batch)
        for batch in result
    ):
        raise CheckFailed(
            f"{label} should return a list of (X_batch, Y_batch) tuples of 2-D arrays, "
            f"got {describe(result)}."
        )
    for X_batch, Y_batch in result:
        if X_batch.shape[1] != Y_batch.shape[1]:
            raise CheckFailed(
                f"{label} returned a mini-batch of {X_batch.shape[1]} examples in X_batch but "
                f"{Y_batch.shape[1]} in Y_batch."
            )
    sizes = [X_batch.shape[1] for X_batch, _ in result]
    if not result:
        return sizes, np.zeros((0, 0))
    try:
        examples = np.vstack([np.hstack([b[0] for b in result]), np.hstack([b[1] for b in result])])
    except ValueError:
        raise CheckFailed(
            f"{label} returned mini-batches with different numbers of rows: every X_batch "
            "should have the rows of X, every Y_batch those of Y."
        ) from None
    examples = np.asarray(examples, dtype=float)
    return sizes, examples[:, np.lexsort(examples[::-1])]


def compare_partition(got, expected, label, rtol, atol):
    got_sizes, got_examples = _batches(got, label)
    sizes, examples = _batches(expected, label)
    if got_sizes != sizes:
        raise CheckFailed(
            f"{label} should return {len(sizes)} mini-batches of sizes {sizes} (every example "
            f"exactly once, only the last batch smaller), got {len(got_sizes)} of sizes "
            f"{got_sizes}."
        )
    if got_examples.shape != examples.shape:
        raise CheckFailed(
            f"{label} should return mini-batches whose X_batch and Y_batch have the rows of X "
            f"and Y ({examples.shape[0]} in all), got {got_examples.shape[0]}."
        )
    differ = ~np.all(np.isclose(got_examples, examples, rtol=rtol, atol=atol), axis=0)
    if differ.any():
        raise CheckFailed(
            f"{label} should hold every example of X exactly once, each with its own label from "
            f"Y, but {int(differ.sum())} of {differ.size} examples (columns of X with their "
            "label) are not in the data: shuffle X and Y with the same permutation."
        )


def _verdict(error):
    if error < RIGHT:
        return f"below {RIGHT:g}"
    if error > WRONG:
        return f"above {WRONG:g}"
    return f"between {RIGHT:g} and {WRONG:g}"


def compare_gradient_check(got, expected, label, rtol, atol):
    expect_number(got, label, "the relative error")
    want = _verdict(float(expected))
    if _verdict(float(got)) != want:
        meaning = {f"below {RIGHT:g}": "right", f"above {WRONG:g}": "wrong"}.get(want, "unclear")
        raise CheckFailed(
            f"{label} should report a relative error {want} (this gradient is {meaning}), got "
            f"{float(got):.2g}: the relative error is ||g_num - g|| / (||g_num|| + ||g||)."
        )


def _run(result, label):
    """(params, costs) of a training run, or the sentence that says what is not right."""
    if not isinstance(result, tuple) or len(result) != 2:
        raise CheckFailed(f"{label} should return a tuple (params, costs), got {describe(result)}.")
    params, costs = result
    if not isinstance(params, dict) or set(params) != {"w", "b"}:
        raise CheckFailed(f'{label} should return params as a dict with the keys "w" and "b".')
    if not isinstance(costs, list) or not costs:
        raise CheckFailed(
            f"{label} should return costs as a non-empty list, got {describe(costs)}."
        )
    return params, costs


def compare_final_cost(got, expected, label, rtol, atol):
    params, costs = _run(got, label)
    want_params, want_costs = _run(expected, label)
    expect_array(params["w"], want_params["w"].shape, f'{label}: params["w"]')
    expect_number(params["b"], label, 'params["b"]')
    if len(costs) != len(want_costs):
        raise CheckFailed(
            f"{label} should return {len(want_costs)} costs (one after each epoch), "
            f"got {len(costs)}."
        )
    expect_number(costs[-1], label, "the final cost")
    final, want = float(costs[-1]), float(want_costs[-1])
    if not np.isclose(final, want, rtol=rtol, atol=atol):
        raise CheckFailed(
            f"{label} should reach the reference solution's final cost within {rtol:.0%}, but "
            f"differs from it by a relative {abs(final - want) / max(abs(want), atol):.2g}."
        )


def _history(result, label, epochs=None):
    """The per-epoch lists of a history dict (a step's result under "returned", or the dict)."""
    if isinstance(result, dict) and "returned" in result:
        result = result["returned"]
    lengths = None if epochs is None else {key: len(epochs[key]) for key in HISTORY_KEYS}
    return expect_history(result, label, lengths)


def compare_history(got, expected, label, rtol, atol):
    want = _history(expected, label)
    history = _history(got, label, epochs=want)
    for key in HISTORY_KEYS:
        if not want[key]:
            continue
        final, target = history[key][-1], want[key][-1]
        if key.endswith("loss"):
            off = abs(final - target) / max(abs(target), 1e-12)
            if off > rtol:
                raise CheckFailed(
                    f'{label}: the last entry of history["{key}"] should be near the reference '
                    f"solution's (within {rtol:.0%}), but differs from it by a relative {off:.2g}: "
                    "after each epoch, record the cost of the whole set, L2 term included."
                )
        elif abs(final - target) > atol:
            raise CheckFailed(
                f'{label}: the last entry of history["{key}"] should be near the reference '
                f"solution's (within {atol:g}), but differs from it by {abs(final - target):.2g}: "
                "after each epoch, record the fraction of the set's examples predicted right."
            )
    if len(want["loss"]) > 1 and want["loss"][-1] < want["loss"][0]:
        if not history["loss"][-1] < history["loss"][0]:
            raise CheckFailed(
                f"{label} should lower the training cost from the first epoch to the last, but "
                "it did not: each mini-batch's step goes against its gradient."
            )


VIEWS = {
    "partition": compare_partition,
    "gradient_check": compare_gradient_check,
    "final_cost": compare_final_cost,
    "history": compare_history,
}
