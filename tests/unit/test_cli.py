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
