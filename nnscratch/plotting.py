"""Plots the exercises share. Colours survive colour blindness (seaborn's palette, viridis)."""

import matplotlib.pyplot as plt
import numpy as np

# seaborn's "colorblind" palette, first two colours, without importing seaborn.
CLASS_COLOURS = ("#0173b2", "#de8f05")


def plot_decision_boundary(predict_proba, X, Y, ax=None, labels=("$x_1$", "$x_2$"), resolution=200):
    """Plot 2-D data coloured by class over a model's probability of class 1.

    Arguments:
    predict_proba -- a function taking an array of shape (2, k) and returning shape (1, k)
    X -- the inputs, shape (2, m): one example per column
    Y -- the labels 0 or 1, shape (1, m)
    ax -- the matplotlib axes to draw on (a new figure when None)

    Returns the axes. The line where the probability is 0.5 is the decision boundary.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    pad = 1.0
    x1 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x2 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    grid1, grid2 = np.meshgrid(x1, x2)
    probability = np.asarray(predict_proba(np.vstack([grid1.ravel(), grid2.ravel()])))
    probability = probability.reshape(grid1.shape)
    filled = ax.contourf(
        grid1, grid2, probability, levels=np.linspace(0, 1, 11), cmap="viridis", alpha=0.6
    )
    ax.contour(grid1, grid2, probability, levels=[0.5], colors="black", linewidths=2)
    for label, colour, marker in zip((0, 1), CLASS_COLOURS, ("o", "s"), strict=True):
        members = Y.ravel() == label
        ax.scatter(
            *X[:, members], c=colour, marker=marker, edgecolor="white", label=f"class {label}"
        )
    ax.figure.colorbar(filled, ax=ax, label="probability of class 1")
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.legend(loc="best")
    return ax


# The first six colours of seaborn's "colorblind" palette, for curves compared on one axes.
SEABORN_COLORBLIND = ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161")


def plot_costs(costs, ax=None, every=100):
    """Plot cost curves recorded every `every` iterations of gradient descent.

    Arguments:
    costs -- a list of costs (costs[k] at iteration k * every), or a dict
             {legend label: such a list} to compare several runs on one axes
    ax -- the matplotlib axes to draw on (a new figure when None)

    Returns the axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    runs = costs if isinstance(costs, dict) else {None: costs}
    for index, (label, values) in enumerate(runs.items()):
        values = np.asarray(values, dtype=float).ravel()
        ax.plot(
            every * np.arange(len(values)),
            values,
            color=SEABORN_COLORBLIND[index % len(SEABORN_COLORBLIND)],
            marker="o",
            markersize=4,
            linewidth=2,
            label=label,
        )
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost $J(w, b)$")
    if len(runs) > 1 or None not in runs:
        ax.legend(loc="best", frameon=False)
    return ax


def plot_confusion_matrix(Y_true, Y_pred, class_names=("0", "1"), ax=None):
    """Draw the 2 x 2 confusion matrix of binary predictions as a seaborn heatmap.

    Arguments:
    Y_true -- the true labels 0 or 1, any shape holding m values
    Y_pred -- the predicted labels 0 or 1, the same number of values
    class_names -- what the labels 0 and 1 mean, e.g. ("not 7", "7")
    ax -- the matplotlib axes to draw on (a new figure when None)

    Returns the axes. Rows are the true class, columns the predicted class, so the diagonal
    counts the correct answers.
    """
    import seaborn as sns  # only this plot needs it

    truth = np.asarray(Y_true).ravel().astype(int)
    guess = np.asarray(Y_pred).ravel().astype(int)
    counts = np.zeros((2, 2), dtype=int)
    np.add.at(counts, (truth, guess), 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.8))
    sns.heatmap(
        counts,
        annot=True,
        fmt="d",
        cmap="viridis",
        cbar_kws={"label": "number of examples"},
        xticklabels=class_names,
        yticklabels=class_names,
        square=True,
        ax=ax,
    )
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.tick_params(axis="y", labelrotation=0)
    return ax


def plot_weights(w, ax=None, image_shape=(28, 28)):
    """Show a weight vector of shape (784, 1) as the 28 x 28 image of the pixels it weighs.

    The colour map diverges from white at 0: red pixels push the prediction towards class 1,
    blue pixels away from it. Returns the axes.
    """
    image = np.asarray(w, dtype=float).reshape(image_shape)
    limit = float(np.max(np.abs(image))) or 1.0
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.8))
    # Diverging and centred on 0, so a weight of 0 (a pixel never inked) reads as neutral white.
    shown = ax.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.figure.colorbar(shown, ax=ax, label="weight $w_j$")
    ax.set_xlabel("pixel column")
    ax.set_ylabel("pixel row")
    return ax


def plot_digits(X, titles=None, ncols=8, image_shape=(28, 28)):
    """Show the images in the columns of X (shape (784, k)) in a grid, with optional titles.

    Returns the figure; with k = 0 it says so in an empty figure instead.
    """
    X = np.asarray(X, dtype=float)
    count = X.shape[1]
    if count == 0:
        fig, ax = plt.subplots(figsize=(4, 1))
        ax.text(0.5, 0.5, "no images to show", ha="center", va="center")
        ax.set_axis_off()
        return fig
    ncols = min(ncols, count)
    nrows = -(-count // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.55 * nrows), squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if index < count:
            ax.imshow(X[:, index].reshape(image_shape), cmap="gray_r", vmin=0.0, vmax=1.0)
            if titles is not None:
                ax.set_title(titles[index], fontsize=9)
    fig.tight_layout()
    return fig
