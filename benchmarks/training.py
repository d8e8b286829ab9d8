"""Training speed of chapter 6's reference network against its floor, scikit-learn and PyTorch.

    python benchmarks/training.py [--repeats 7] [--epochs 10] [--learning-rate 0.1]

The network is the chapter's 784-128-64-10 (ReLU, softmax) on the 8,000 bundled training
digits, batch 64 (125 batches an epoch), learning rate 0.1, no L2 term. Everything is measured
in the same run, each figure the median of several repeats; the load average is printed first
and the CPU time other processes took during the run last (BLAS threads waiting for a core
slow every figure, and not all alike):
- ours: the reference `NeuralNetwork.fit` (read from the solution notebook) for one epoch, its
  progress bar silenced; it shuffles, gathers and steps through the 125 batches, then
  evaluates the history's loss and accuracy on the full training set (one forward pass over
  the 8,000);
- the floor: exactly the matrix products such an epoch does (forward `W @ A`, backward
  `dZ @ A_prev.T` for every layer and `W.T @ dZ` for all but the first, then the history's
  `W @ A` over the 8,000), on arrays of the same shapes and memory layout;
- where ours' epoch goes: what `fit` calls (the network's `forward`, `backward` and `update`)
  timed in place while it runs, the matrix products' share of each from the floor, the rest
  (the shuffle and the batches' gathering, one-hot labels, the cost, the progress bar) by
  difference;
- float32: `fit` on X and a copy of the parameters cast to float32 (the forward pass is then
  float32, but the backward pass is float64: the one-hot labels and the ReLU slopes are; the
  in-place update keeps the parameters float32, and their dtype after the epoch is printed),
  and the floor in float32;
- 10 epochs from the same start: ours (float64, and float32 as above), scikit-learn's
  `MLPClassifier` (solver "sgd", the same layers, batch, learning rate and epochs, no
  momentum, no early stopping; its loss is the mean of the batches' losses, with no pass over
  the full set) and PyTorch on the CPU (`nn.Linear`, `CrossEntropyLoss`, plain SGD; the same
  epoch: a shuffle, 125 steps, then the full set's loss and accuracy), in float32 and
  float64, with the test accuracy on the 2,000 test digits. PyTorch is skipped, saying so,
  when it does not import.
`make benchmark` runs it (after installing benchmarks/requirements.txt); CI does not.
"""

import argparse
import contextlib
import io
import os
import statistics
import time
import warnings
from functools import partial

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from autograder.course.reference import load_reference
from nnscratch.data import load_mnist

LAYERS = [784, 128, 64, 10]
BATCH = 64


def median_seconds(run, repeats):
    """The median wall time of `run()` over `repeats` calls, after one call to warm up."""
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cpu_seconds():
    """CPU seconds spent busy by the whole machine since boot, and by this process (Linux)."""
    with open("/proc/stat") as file:
        fields = [int(v) for v in file.readline().split()[1:9]]
    busy = sum(fields) - fields[3] - fields[4]  # not idle, not waiting for disks
    return busy / os.sysconf("SC_CLK_TCK"), sum(os.times()[:2])


def quiet_fit(net, X, y, epochs, seed=0):
    with contextlib.redirect_stderr(io.StringIO()):
        return net.fit(X, y, epochs=epochs, batch_size=BATCH, seed=seed)


def matrix_products(X, dtype, batches):
    """Three functions doing an epoch's matrix products, nothing else: the batches' forward
    and backward ones, and the history's forward pass over the whole of X."""
    rng = np.random.default_rng(0)
    # A batch as fit gathers it: X[:, batch] of the column-major X that load_mnist gives.
    Xd = np.asfortranarray(X, dtype=dtype)
    a0 = Xd[:, rng.permutation(X.shape[1])[:BATCH]]
    shapes = list(zip(LAYERS[1:], LAYERS[:-1], strict=True))
    W = [rng.standard_normal(shape).astype(dtype) for shape in shapes]
    A = [a0] + [rng.random((n, BATCH)).astype(dtype) for n, _ in shapes[:-1]]
    dZ = [rng.random((n, BATCH)).astype(dtype) for n, _ in shapes]

    def forward():
        for _ in range(batches):
            for w, a in zip(W, A, strict=True):
                w @ a

    def backward():
        for _ in range(batches):
            for layer in reversed(range(len(W))):
                dZ[layer] @ A[layer].T
                if layer > 0:
                    W[layer].T @ dZ[layer]

    def evaluation():
        A = Xd
        for w in W:
            A = w @ A

    return forward, backward, evaluation


def flops(batches):
    """Floating-point operations of an epoch's batch matrix products (2 per multiply-add)."""
    layers = list(zip(LAYERS[1:], LAYERS[:-1], strict=True))
    forward = sum(2 * n * n_prev * BATCH for n, n_prev in layers)
    backward = forward + sum(2 * n * n_prev * BATCH for n, n_prev in layers[1:])
    return batches * (forward + backward)


def timed(function, totals, key):
    """`function`, adding its wall time to `totals[key(args)]`."""

    def run(*args, **kwargs):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        name = key(args)
        totals[name] = totals.get(name, 0.0) + time.perf_counter() - start
        return result

    return run


def breakdown(ref, X, y, repeats, lr):
    """The median seconds per epoch of what fit calls, timed in place over `repeats` epochs.

    The network's forward, backward and update are wrapped on the instance (a forward pass
    over more than a batch is the history's evaluation).
    """
    net = ref.NeuralNetwork(LAYERS, lr, seed=0)
    epochs, totals = [], {}
    net.forward = timed(
        net.forward, totals, lambda a: "evaluation" if a[0].shape[1] > BATCH else "forward"
    )
    net.backward = timed(net.backward, totals, lambda a: "backward")
    net.update = timed(net.update, totals, lambda a: "update")
    for epoch in range(repeats):
        before = dict(totals)
        start = time.perf_counter()
        quiet_fit(net, X, y, 1, seed=epoch)
        seconds = time.perf_counter() - start
        epochs.append({"epoch": seconds, **{k: v - before.get(k, 0.0) for k, v in totals.items()}})
    return {key: statistics.median(e[key] for e in epochs) for key in epochs[0]}


def network(ref, lr, dtype=np.float64):
    """The reference network from its seeded start, its parameters cast to `dtype`."""
    net = ref.NeuralNetwork(LAYERS, lr, seed=0)
    net.parameters = {key: value.astype(dtype) for key, value in net.parameters.items()}
    return net


def ours(ref, X, y, Xt, yt, epochs, lr, dtype=np.float64):
    """Ours from the same start; in float32, X and the initial parameters cast to it."""
    net = network(ref, lr, dtype)
    X, Xt = X.astype(dtype, order="F"), Xt.astype(dtype, order="F")
    start = time.perf_counter()
    quiet_fit(net, X, y, epochs)
    return time.perf_counter() - start, float(np.mean(net.predict(Xt) == yt))


def scikit_learn(X, y, Xt, yt, epochs, lr):
    model = MLPClassifier(
        hidden_layer_sizes=tuple(LAYERS[1:-1]),
        activation="relu",
        solver="sgd",
        batch_size=BATCH,
        learning_rate_init=lr,
        momentum=0.0,
        nesterovs_momentum=False,
        alpha=0.0,
        max_iter=epochs,
        shuffle=True,
        random_state=0,
        n_iter_no_change=epochs + 1,
        tol=0.0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(X, y)
        seconds = time.perf_counter() - start
    return seconds, float(model.score(Xt, yt))


def pytorch(torch, X, y, Xt, yt, epochs, lr, dtype):
    """PyTorch's epoch as ours: a shuffle, the steps, the full set's loss and accuracy."""
    torch.manual_seed(0)
    layers = []
    for n_prev, n in zip(LAYERS[:-1], LAYERS[1:], strict=True):
        layers += [torch.nn.Linear(n_prev, n, dtype=dtype), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    loss_function = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    X, Xt = torch.from_numpy(X).to(dtype), torch.from_numpy(Xt).to(dtype)
    y, yt = torch.from_numpy(y), torch.from_numpy(yt)
    generator = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=generator)
        for first in range(0, len(X), BATCH):
            batch = order[first : first + BATCH]
            optimizer.zero_grad()
            loss_function(model(X[batch]), y[batch]).backward()
            optimizer.step()
        with torch.no_grad():
            logits = model(X)
            loss_function(logits, y).item(), (logits.argmax(1) == y).double().mean().item()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        return seconds, float((model(Xt).argmax(1) == yt).double().mean())


def table(title, columns, rows):
    print(f"\n| {title} | " + " | ".join(columns) + " |")
    print("| --- |" + " ---: |" * len(columns))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=7, help="epochs timed per figure")
    parser.add_argument("--epochs", type=int, default=10, help="epochs of the comparisons")
    parser.add_argument("--learning-rate", type=float, default=0.1)
    args = parser.parse_args()
    lr, repeats = args.learning_rate, args.repeats
    start, (machine, own) = time.perf_counter(), cpu_seconds()
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if load[0] > 1.5:
        print("other work is running: BLAS threads wait for cores, the figures are not comparable")

    ref = load_reference("ch6_mnist_multiclass")
    X, y = load_mnist("train")
    Xt, yt = load_mnist("test")
    batches = X.shape[1] // BATCH

    net = ref.NeuralNetwork(LAYERS, lr, seed=0)
    fit = median_seconds(lambda: quiet_fit(net, X, y, 1), repeats)
    parts = breakdown(ref, X, y, repeats, lr)
    floor = {}
    for dtype in (np.float64, np.float32):
        floor[dtype] = tuple(
            median_seconds(products, repeats) for products in matrix_products(X, dtype, batches)
        )
    net32 = network(ref, lr, np.float32)
    X32 = X.astype(np.float32, order="F")
    fit32 = median_seconds(lambda: quiet_fit(net32, X32, y, 1), repeats)
    drift = "/".join(sorted({str(v.dtype) for v in net32.parameters.values()}))
    slope = ref.relu_derivative(np.ones(1, np.float32)).dtype
    drift += f" (one_hot gives {ref.one_hot(y[:1]).dtype}, relu_derivative {slope})"
    big = {}
    for dtype in floor:
        W1, Xd = net.parameters["W1"].astype(dtype), X.astype(dtype)
        big[dtype] = 2 * W1.size * X.shape[1] / median_seconds(partial(np.matmul, W1, Xd), 3) / 1e9

    # A fresh model for each run of `--epochs` epochs, the data laid out for it beforehand; the
    # runs take turns, so that a change of load falls on all of them.
    Xr, Xtr = np.ascontiguousarray(X.T), np.ascontiguousarray(Xt.T)  # (m, 784): example rows
    runs = {
        "ours": lambda: ours(ref, X, y, Xt, yt, args.epochs, lr),
        "ours, float32": lambda: ours(ref, X, y, Xt, yt, args.epochs, lr, np.float32),
        "scikit-learn MLPClassifier, sgd": lambda: scikit_learn(Xr, y, Xtr, yt, args.epochs, lr),
    }
    try:
        import torch
    except ImportError as error:
        print(f"PyTorch is skipped: it does not import ({error})")
    else:
        torch.set_num_threads(os.cpu_count())
        for name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
            runs[f"PyTorch {torch.__version__}, {name}"] = lambda dtype=dtype: pytorch(
                torch, Xr, y, Xtr, yt, args.epochs, lr, dtype
            )
    samples = {name: [] for name in runs}
    for _ in range(3):
        for name, run in runs.items():
            samples[name].append(run())

    def ms(seconds):
        return f"{seconds * 1000:.1f}"

    products, products32 = sum(floor[np.float64]), sum(floor[np.float32])
    table(
        f"one epoch, {X.shape[1]:,} digits, batch {BATCH}, median of {repeats}",
        ["ms", "ours / this"],
        [
            ["ours, `fit(epochs=1)`, float64", ms(fit), "1.00"],
            [
                "the floor: its matrix products alone, float64",
                ms(products),
                f"{fit / products:.2f} ({products / fit:.0%} of the epoch)",
            ],
            [
                "  of which the history's pass over the 8,000",
                ms(floor[np.float64][2]),
                f"{fit / floor[np.float64][2]:.2f}",
            ],
            [
                "ours, `fit` on X and parameters cast to float32",
                ms(fit32),
                f"{fit / fit32:.2f}",
            ],
            ["the floor in float32", ms(products32), f"{fit / products32:.2f}"],
        ],
    )
    epoch = parts["epoch"]
    timed = sum(v for k, v in parts.items() if k != "epoch")
    rows = [
        ("forward, the batches: matrix products", floor[np.float64][0]),
        (
            "forward, the batches: the rest (bias, ReLU, softmax)",
            parts["forward"] - floor[np.float64][0],
        ),
        ("backward: matrix products", floor[np.float64][1]),
        ("backward: the rest", parts["backward"] - floor[np.float64][1]),
        ("update", parts["update"]),
        ("the history: a forward pass over the training set", parts["evaluation"]),
        ("  of which matrix products", floor[np.float64][2]),
        ("the rest: shuffle, gathering the batches, one-hot, cost, loop, bar", epoch - timed),
    ]
    table(
        f"where ours' epoch goes, timed in place, median of {repeats}",
        ["ms", "share"],
        [[label, ms(s), f"{s / epoch:.0%}"] for label, s in rows]
        + [["the epoch", ms(epoch), "100%"]],
    )
    base = statistics.median(s for s, _ in samples["ours"])
    results = []
    for name, runs_of_name in samples.items():
        seconds = statistics.median(s for s, _ in runs_of_name)
        accuracy = runs_of_name[0][1]
        results.append(
            [name, ms(seconds / args.epochs), f"{base / seconds:.2f}", f"{accuracy:.2%}"]
        )
    table(
        f"{args.epochs} epochs from the same start, median of 3",
        ["ms per epoch", "ours / this", "test accuracy"],
        results,
    )
    rate = {d: flops(batches) / sum(floor[d][:2]) / 1e9 for d in floor}
    print(
        f"\nGEMM rate: the epoch's batch-{BATCH} products {rate[np.float64]:.0f} GFLOP/s in "
        f"float64, {rate[np.float32]:.0f} in float32; W1 (128x784) @ X (784x{X.shape[1]}) "
        f"{big[np.float64]:.0f} and {big[np.float32]:.0f}"
    )
    print(f"the float32 parameters after that epoch: {drift}")
    machine_end, own_end = cpu_seconds()
    others = machine_end - machine - (own_end - own)
    print(
        f"other processes used {others:.0f} CPU seconds during the run "
        f"({time.perf_counter() - start:.0f} s on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
