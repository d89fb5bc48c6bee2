"""County S&T statistics for the annual review: ingest, growth and ranking models, figures.

Importing the package is cheap on purpose (no pandas, no matplotlib): the command line
(`python -m analysis …`) must answer quickly, and `setup` runs before the environment exists.
"""

import os

# openpyxl serialises a workbook with lxml when lxml is installed (python-docx brings it, for
# the Word draft) and with the standard library otherwise; the bytes differ. The committed
# templates and stand-ins are the standard library's, so every process that imports the
# package writes them that way, whatever is installed (set before openpyxl is imported).
os.environ.setdefault("OPENPYXL_LXML", "False")

__all__ = ["__version__"]
__version__ = "0.1.0"
