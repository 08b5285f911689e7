"""The public face: what ``import continuity`` loads, and the README's examples."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import continuity as ct

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_public_name_exists():
    for name in ct.__all__:
        assert hasattr(ct, name), name


def test_import_loads_neither_matplotlib_nor_hypothesis():
    code = ("import sys, continuity; "
            "print(sorted(m for m in ('matplotlib', 'hypothesis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def python_blocks():
    text = README.read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_python_examples_run():
    blocks = python_blocks()
    assert len(blocks) >= 3
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for block in blocks:
            if "registry/" in block or "kerjasama" in block:
                continue  # reads the user's own files
            exec(compile(block, str(README), "exec"), namespace)
    assert isinstance(namespace["study"], ct.Study)
