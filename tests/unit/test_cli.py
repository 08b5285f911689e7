"""The command line, run in-process and as the installed ``continuity`` script."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest

from continuity import ActivityOutsideLifeWarning
from continuity.cli import main
from continuity.datasets import solo_path


def test_show_example_solo(capsys):
    assert main(["show", "--example", "solo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<continuity.Study:")
    assert "Leadership transitions:" in out
    assert "Surakarta" in out


def test_validate_folder(capsys):
    with pytest.warns(ActivityOutsideLifeWarning, match="listed in study.audit"):
        assert main(["validate", str(solo_path())]) == 0
    assert capsys.readouterr().out.startswith("valid: <continuity.Study:")


def test_invalid_study_exits_1_with_every_problem(tmp_path, capsys):
    folder = tmp_path / "bad"
    shutil.copytree(solo_path(), folder)
    parties = pd.read_csv(folder / "parties.csv", dtype=str, keep_default_na=False)
    parties.loc[0, "agreement_id"] = "NO-SUCH-ID"
    parties.to_csv(folder / "parties.csv", index=False)
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "parties: 1 row names an unknown agreement ('NO-SUCH-ID'" in err


def test_transitions_to_csv(tmp_path):
    out = tmp_path / "out" / "transitions.csv"
    assert main(["transitions", "--example", "solo", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert {"jurisdiction", "date", "from_holder", "to_holder", "leader_change"} <= set(table)


def test_no_source_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["show"])
    assert info.value.code == 2
    assert "give a study folder or workbook, or --example solo" in capsys.readouterr().err


def test_path_and_example_together_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", "/no/such/folder", "--example", "solo"])
    assert info.value.code == 2
    assert "not both" in capsys.readouterr().err


def test_unknown_example_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["show", "--example", "jakarta"])
    assert info.value.code == 2


@pytest.mark.skipif(shutil.which("continuity") is None, reason="the package is not installed")
def test_installed_script_runs():
    done = subprocess.run(["continuity", "show", "--example", "solo"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Leadership transitions:" in done.stdout


def test_episodes_to_csv(tmp_path):
    out = tmp_path / "episodes.csv"
    assert main(["episodes", "--example", "solo", "--level", "relationship", "--window", "365",
                 "--focal", "Surakarta", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    wanted = {"relationship_id", "t_start", "t_stop", "event", "post_change", "own_changes"}
    assert wanted <= set(table)
    assert (table["t_stop"] > table["t_start"]).all()


def test_episodes_bad_option_exits_1(capsys):
    assert main(["episodes", "--example", "solo", "--focal", "Atlantis"]) == 1
    assert "Atlantis" in capsys.readouterr().err


# --- failures: exit 1, one message, no traceback; --debug shows it ------------------------------

def _write_registry(folder, holder="Budi"):
    folder.mkdir()
    (folder / "terms.csv").write_text(
        "jurisdiction,office,holder,start,end\n"
        "Solo,mayor,Rudy,2010-01-01,2016-02-17\n"
        f"Solo,mayor,{holder},2016-02-17,\nXian,party_secretary,Wei,2012-06-14,\n",
        encoding="utf-8")
    (folder / "study.toml").write_text('as_of = "2020-12-31"\n', encoding="utf-8")
    (folder / "agreements.csv").write_text("agreement_id,signed\n=1+1,2015-09-25\n",
                                           encoding="utf-8")
    (folder / "parties.csv").write_text("agreement_id,jurisdiction\n=1+1,Solo\n=1+1,Xian\n",
                                        encoding="utf-8")
    return folder


def _one_line_failure(capsys, argv):
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("continuity: ")
    return lines[0]


def test_out_that_is_a_folder_exits_1(tmp_path, capsys):
    line = _one_line_failure(capsys, ["transitions", "--example", "solo", "--out",
                                      str(tmp_path)])
    assert "is a folder; give a file name" in line


def test_out_that_cannot_be_written_exits_1(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    line = _one_line_failure(capsys, ["transitions", "--example", "solo", "--out",
                                      str(blocker / "t.csv")])
    assert "cannot be written" in line


def test_unreadable_input_exits_1(tmp_path, capsys):
    book = tmp_path / "registry.xlsx"
    book.write_bytes(b"not a workbook")
    line = _one_line_failure(capsys, ["show", str(book)])
    assert "registry.xlsx: cannot be read as an Excel workbook" in line


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys,
                                                                       tmp_path):
    import continuity.cli as cli

    def broken(path):
        raise IndexError("index -1 is out of bounds")

    monkeypatch.setattr(cli, "read_study", broken)
    line = _one_line_failure(capsys, ["show", str(tmp_path)])
    assert line == "continuity: IndexError: index -1 is out of bounds"
    with pytest.raises(IndexError):
        main(["show", str(tmp_path), "--debug"])
    with pytest.raises(IndexError):
        main(["--debug", "show", str(tmp_path)])


def test_refuses_to_write_over_its_own_input(tmp_path, capsys):
    folder = _write_registry(tmp_path / "registry")
    before = (folder / "terms.csv").read_text()
    line = _one_line_failure(capsys, ["transitions", str(folder), "--out",
                                      str(folder / "terms.csv")])
    assert "is one of the study's input files" in line
    assert (folder / "terms.csv").read_text() == before
    # nor under a name that the next read would take as a table
    _one_line_failure(capsys, ["transitions", str(folder), "--out",
                               str(folder / "targets.csv")])
    assert not (folder / "targets.csv").exists()


def test_csv_exports_neutralise_formulas_in_every_column(tmp_path):
    folder = _write_registry(tmp_path / "registry", holder="@SUM(A1)")
    out = tmp_path / "episodes.csv"
    assert main(["episodes", str(folder), "--out", str(out)]) == 0
    text = out.read_text()
    assert "'=1+1" in text
    assert ",=1+1" not in text
    assert not text.startswith("=")
    out = tmp_path / "transitions.csv"
    assert main(["transitions", str(folder), "--out", str(out)]) == 0
    assert "'@SUM(A1)" in out.read_text()


def test_control_characters_never_reach_the_terminal(tmp_path, capsys):
    folder = _write_registry(tmp_path / "registry", holder="Bu\x1b[2Jdi")
    assert main(["show", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "Bu\\x1b[2Jdi" in out
    (folder / "parties.csv").write_text("agreement_id,jurisdiction\n=1+1,Solo\n=1+1,X\x07\n",
                                        encoding="utf-8")
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "\x07" not in err
    assert "X\\x07" in err
