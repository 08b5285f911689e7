"""``continuity report`` and ``--format`` on the command line."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from continuity.cli import main
from continuity.datasets import solo_path

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "solo-report"
    assert main(["report", "--example", "solo", "--focal", "Surakarta", "--out", str(out)]) == 0
    return out


def test_report_writes_page_and_tables(written, capsys):
    assert (written / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (written / "tables" / "parties.csv").exists()


def test_report_refuses_a_non_empty_folder(written, capsys):
    assert main(["report", "--example", "solo", "--out", str(written)]) == 1
    err = capsys.readouterr().err
    assert "is not empty" in err
    assert "--force" in err
    assert "Traceback" not in err


def test_report_refuses_the_input_folder(tmp_path, capsys):
    study = tmp_path / "registry"
    study.mkdir()
    for f in solo_path().iterdir():
        if f.suffix in (".csv", ".toml"):
            (study / f.name).write_bytes(f.read_bytes())
    assert main(["report", str(study), "--out", str(study), "--force"]) == 1
    assert "holds the study's own input files" in capsys.readouterr().err
    assert not (study / "report.html").exists()


def test_report_in_indonesian(tmp_path):
    out = tmp_path / "laporan"
    assert main(["report", "--example", "solo", "--lang", "id", "--out", str(out)]) == 0
    assert '<html lang="id">' in (out / "report.html").read_text(encoding="utf-8")


def test_unknown_language_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--example", "solo", "--lang", "fr", "--out", str(tmp_path / "x")])
    assert info.value.code == 2


def test_episodes_as_parquet_keep_their_types(tmp_path):
    pytest.importorskip("pyarrow", reason="Parquet needs the parquet extra")
    out = tmp_path / "ep.parquet"
    assert main(["episodes", "--example", "solo", "--out", str(out), "--format", "parquet"]) == 0
    ep = pd.read_parquet(out)
    assert str(ep["start"].dtype).startswith("datetime64")


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch, capsys):
    from continuity import export

    monkeypatch.setattr(export, "_has_pyarrow", lambda: False)
    assert main(["transitions", "--example", "solo", "--out", str(tmp_path / "t.parquet"),
                 "--format", "parquet"]) == 1
    assert "continuity[parquet]" in capsys.readouterr().err
