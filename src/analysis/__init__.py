"""County S&T statistics for the annual review: ingest, growth and ranking models, figures.

Importing the package is cheap on purpose (no pandas, no matplotlib): the command line
(`python -m analysis …`) must answer quickly, and `setup` runs before the environment exists.
"""

import os
import sys

# openpyxl serialises a workbook with lxml when lxml is installed (python-docx brings it, for
# the Word draft) and with the standard library otherwise; the bytes differ. The committed
# templates and stand-ins are the standard library's, so every process that imports the
# package writes them that way, whatever is installed (set before openpyxl is imported).
os.environ.setdefault("OPENPYXL_LXML", "False")

# Every process that reads or writes a notebook (the runner, its workers, the page renderer)
# imports nbformat, which imports jsonschema's format checkers; with rfc3987-syntax installed
# (jupyter-events asks for jsonschema[format-nongpl]) that import builds some thirty Earley
# parsers for the "iri" formats: about 1 s of CPU per process, for formats no notebook schema
# uses (python-jsonschema/jsonschema#1428; opendatahub-io/notebooks#3532). A None entry in
# sys.modules makes its import raise ModuleNotFoundError (the import system's documented rule),
# and jsonschema then leaves those two formats unchecked, as it does when the package is absent.
# JupyterLab's own server is another process and keeps it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

__all__ = ["__version__"]
__version__ = "0.1.0"
