"""Figures: the one style, labels (zh/en), charts per notebook, the figure pack."""
