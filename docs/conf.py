"""Sphinx configuration of the continuity documentation (built in CI with warnings as errors)."""

from __future__ import annotations

import continuity

project = "continuity"
author = "The continuity developers"
copyright = "2026, the continuity developers"  # noqa: A001  (Sphinx's name)
release = continuity.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "myst_nb",
]
autosummary_generate = True
autodoc_typehints = "none"  # the numpydoc Parameters say it in words
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
intersphinx_mapping = {}  # no network in CI: every reference resolves inside these pages
nitpicky = False

# The notebooks run while the docs are built, so the pages show their outputs.
nb_execution_mode = "force"
nb_execution_timeout = 900
nb_execution_raise_on_error = True
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

html_theme = "furo"
html_title = f"continuity {release}"
suppress_warnings = ["mystnb.unknown_mime_type"]
