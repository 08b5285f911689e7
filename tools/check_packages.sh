#!/usr/bin/env bash
# Build the wheel and the sdist, install each into a fresh virtual environment and run the
# command line and the report there: what a user who installs a release gets.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
python -m build --outdir "$out/dist" . > "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
for pkg in "$out"/dist/*.whl "$out"/dist/*.tar.gz; do
    env="$out/venv-$(basename "$pkg")"
    python -m venv "$env"
    "$env/bin/python" -m pip install -q "$pkg[report]"
    (cd "$out" && "$env/bin/continuity" show --example bandung > /dev/null \
        && "$env/bin/continuity" report --example solo --out "report-$(basename "$pkg")" > /dev/null \
        && test -s "report-$(basename "$pkg")/report.html")
    echo "package ok: $(basename "$pkg")"
done
rm -rf "$out"
