"""County S&T statistics for the annual review: ingest, growth and ranking models, figures.

Importing the package is cheap on purpose (no pandas, no matplotlib): the command line
(`python -m analysis …`) must answer quickly, and `setup` runs before the environment exists.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
