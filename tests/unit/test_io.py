"""Reading studies from folders of CSV files and from workbooks."""

from __future__ import annotations

import builtins
import json

import pandas as pd
import pytest

import continuity as ct


def write_folder(folder, **extra):
    folder.mkdir(exist_ok=True)
    (folder / "terms.csv").write_text(
        "jurisdiction,office,holder,start,end,kind\n"
        "Solo,mayor,Rudyatmo,2012-10-19,2015-07-28,elected\n"
        "Solo,mayor,Budi,2015-08-05,2016-02-17,caretaker\n"
        "NA,mayor,Someone,2010-01-01,,elected\n"
        "Solo,deputy_mayor,Teguh,2021-02-26,,elected\n", encoding="utf-8")
    (folder / "agreements.csv").write_text(
        "agreement_id,signed,ended\n007,2015-09,\n", encoding="utf-8")
    (folder / "parties.csv").write_text(
        "agreement_id,jurisdiction\n007,Solo\n007,NA\n", encoding="utf-8")
    for name, text in extra.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_read_folder_keeps_text_as_written(tmp_path):
    folder = write_folder(tmp_path / "registry",
                          **{"study.toml": 'as_of = "2020-12-31"\n[offices]\nSolo = "mayor"\n'})
    study = ct.read_study(folder)
    assert study.agreements.loc[0, "agreement_id"] == "007"  # leading zeros kept
    assert "NA" in set(study.parties["jurisdiction"])  # "NA" (Namibia) is a name, not missing
    assert study.as_of == pd.Timestamp("2020-12-31")
    assert study.offices == {"NA": "mayor", "Solo": "mayor"}
    assert study.agreements.loc[0, "signed_precision"] == "month"


def test_read_folder_with_json_settings_and_overrides(tmp_path):
    folder = write_folder(tmp_path / "r", **{"study.json": json.dumps(
        {"as_of": "2020-12-31", "offices": {"Solo": "mayor"}})})
    study = ct.read_study(folder, as_of="2019-01-01")
    assert study.as_of == pd.Timestamp("2019-01-01")


def test_missing_table_lists_the_files_found(tmp_path):
    folder = write_folder(tmp_path / "r")
    (folder / "parties.csv").unlink()
    with pytest.raises(ct.ReadError, match=r"no parties\.csv \(files found: agreements\.csv, "
                                           r"terms\.csv\)"):
        ct.read_study(folder)


def test_unknown_setting_in_toml(tmp_path):
    folder = write_folder(tmp_path / "r", **{"study.toml": 'asof = "2020-01-01"\n'})
    with pytest.raises(ct.ReadError, match="unknown setting 'asof'; known settings are as_of"):
        ct.read_study(folder)


def test_unparseable_toml(tmp_path):
    folder = write_folder(tmp_path / "r", **{"study.toml": "as_of = \n"})
    with pytest.raises(ct.ReadError, match=r"study\.toml: cannot be parsed"):
        ct.read_study(folder)


def test_both_settings_files(tmp_path):
    folder = write_folder(tmp_path / "r", **{"study.toml": "", "study.json": "{}"})
    with pytest.raises(ct.ReadError, match=r"both study\.toml and study\.json are present"):
        ct.read_study(folder)


def test_ambiguous_day_month_is_refused_not_guessed(tmp_path):
    folder = write_folder(tmp_path / "r", **{"study.toml": '[offices]\nSolo = "mayor"\n'})
    (folder / "agreements.csv").write_text("agreement_id,signed\n007,04/09/2015\n")
    with pytest.raises(ct.ValidationError, match="day/month order is ambiguous in '04/09/2015'"):
        ct.read_study(folder)


def test_not_utf8(tmp_path):
    folder = write_folder(tmp_path / "r")
    (folder / "terms.csv").write_bytes("jurisdiction\nXi\xe2n\n".encode("latin-1"))
    with pytest.raises(ct.ReadError, match=r"terms\.csv: is not UTF-8 text"):
        ct.read_study(folder)


def test_empty_csv(tmp_path):
    folder = write_folder(tmp_path / "r")
    (folder / "parties.csv").write_text("")
    with pytest.raises(ct.ReadError, match=r"parties\.csv: is empty"):
        ct.read_study(folder)


def test_missing_path_and_wrong_kind(tmp_path):
    with pytest.raises(ct.ReadError, match="no such file or folder"):
        ct.read_study(tmp_path / "nothing")
    f = tmp_path / "study.txt"
    f.write_text("x")
    with pytest.raises(ct.ReadError, match=r"expected a folder of CSV files or an \.xlsx workbook"):
        ct.read_study(f)


def test_unknown_keyword_setting(tmp_path):
    with pytest.raises(ct.ContinuityError, match="unknown settings asof") as info:
        ct.read_study(write_folder(tmp_path / "r"), asof="2020-01-01")
    assert isinstance(info.value, TypeError)


def workbook(path, **sheets):
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for name, df in sheets.items():
            df.to_excel(xl, sheet_name=name, index=False)
    return path


def solo_sheets():
    return {
        "terms": pd.DataFrame({"jurisdiction": ["Solo", "Zhuhai"], "office": ["mayor", "ps"],
                               "holder": ["Budi", "Guo"], "start": ["2015-08-05", "2016-03"],
                               "end": [None, None]}),
        "agreements": pd.DataFrame({"agreement_id": ["0012"], "signed": ["2015-09"]}),
        "parties": pd.DataFrame({"agreement_id": ["0012", "0012"],
                                 "jurisdiction": ["Solo", "Zhuhai"]}),
        "settings": pd.DataFrame({"setting": ["as_of"], "value": ["2020-01-01"]}),
        "offices": pd.DataFrame({"jurisdiction": ["Solo"], "office": ["mayor"]}),
    }


def test_read_workbook(tmp_path):
    path = workbook(tmp_path / "kerjasama.xlsx", **solo_sheets())
    study = ct.read_study(path)
    assert study.agreements.loc[0, "agreement_id"] == "0012"
    assert study.as_of == pd.Timestamp("2020-01-01")
    assert study.terms.loc[1, "start"] == pd.Timestamp("2016-03-16")


def test_workbook_dates_typed_as_excel_dates(tmp_path):
    sheets = solo_sheets()
    sheets["agreements"]["signed"] = pd.to_datetime(["2015-09-15"])
    study = ct.read_study(workbook(tmp_path / "k.xlsx", **sheets))
    assert study.agreements.loc[0, "signed"] == pd.Timestamp("2015-09-15")


def test_workbook_missing_sheet(tmp_path):
    sheets = solo_sheets()
    del sheets["parties"]
    with pytest.raises(ct.ReadError, match=r"no sheet 'parties' \(sheets found: terms, "
                                           r"agreements, settings, offices\)"):
        ct.read_study(workbook(tmp_path / "k.xlsx", **sheets))


def test_workbook_bad_settings_sheets(tmp_path):
    sheets = solo_sheets()
    sheets["settings"] = pd.DataFrame({"setting": ["asof"], "value": ["2020"]})
    with pytest.raises(ct.ReadError, match=r"k\.xlsx, sheet 'settings': unknown setting 'asof'"):
        ct.read_study(workbook(tmp_path / "k.xlsx", **sheets))
    sheets["settings"] = pd.DataFrame({"key": ["as_of"], "value": ["2020"]})
    with pytest.raises(ct.ReadError, match="sheet 'settings': needs columns setting, value"):
        ct.read_study(workbook(tmp_path / "k.xlsx", **sheets))
    sheets = solo_sheets()
    sheets["offices"] = pd.DataFrame({"place": ["Solo"], "office": ["mayor"]})
    with pytest.raises(ct.ReadError, match="sheet 'offices': needs columns jurisdiction, office"):
        ct.read_study(workbook(tmp_path / "k.xlsx", **sheets))


def test_workbook_without_openpyxl_names_the_install_command(tmp_path, monkeypatch):
    path = workbook(tmp_path / "k.xlsx", **solo_sheets())
    real_import = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name == "openpyxl":
            raise ImportError("No module named 'openpyxl'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    with pytest.raises(ct.DependencyError, match=r"pip install 'continuity\[excel\]'"):
        ct.read_study(path)


def test_vocabulary_extended_in_study_toml(tmp_path):
    folder = write_folder(tmp_path / "r", **{
        "study.toml": '[offices]\nSolo = "mayor"\n[vocabulary]\nsectors = ["maritime"]\n',
        "activities.csv": "agreement_id,date,sector\n007,2016-01-01,maritime\n"})
    assert ct.read_study(folder).activities.loc[0, "sector"] == "maritime"
    (folder / "study.toml").write_text('[offices]\nSolo = "mayor"\n')
    with pytest.raises(ct.ValidationError, match=r"unknown sector \('maritime'\)"):
        ct.read_study(folder)


def test_vocabulary_sheet_of_a_workbook(tmp_path):
    sheets = solo_sheets()
    sheets["activities"] = pd.DataFrame({"agreement_id": ["0012"], "date": ["2016-01-01"],
                                         "objective": ["friendship"]})
    sheets["vocabulary"] = pd.DataFrame({"vocabulary": ["objectives"], "word": ["friendship"]})
    study = ct.read_study(workbook(tmp_path / "k.xlsx", **sheets))
    assert study.activities.loc[0, "objective"] == "friendship"
