"""Write benchmarks/RESULTS.md: SUMMARY.md, then each benchmark's own section.

Each benchmark script writes its figures into ``benchmarks/results/<topic>.md``; run this after
them:  python benchmarks/collect_results.py
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    files = sorted((HERE / "results").glob("*.md"))
    sections = [p.read_text(encoding="utf-8").strip() for p in files]
    summary = (HERE / "SUMMARY.md").read_text(encoding="utf-8").strip()
    text = "\n\n".join([summary, *sections]) + "\n"
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
