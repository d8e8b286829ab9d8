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
