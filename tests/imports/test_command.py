from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clearsight.people.models import Person
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_command_imports_reports_bad_rows_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = AgencyFactory()
    path = tmp_path / "records.csv"
    path.write_text(
        "source_record_id,given_names,family_name,postcode\n"
        "C1,Kai,Morgan,LS1 4AP\n"
        "C2,Mia,Patel,BAD\n"
    )
    call_command("import", "persons", str(path), "--agency", str(agency.pk))
    out = capsys.readouterr().out
    assert "line 3: postcode:" in out
    assert "1 added" in out
    # Nothing new and a bad row still there: reported, and the exit status says so.
    with pytest.raises(CommandError, match="every new row has problems"):
        call_command("import", "persons", str(path), "--agency", str(agency.pk))
    assert "0 added, 1 already in Clearsight" in capsys.readouterr().out
    assert Person.objects.count() == 1


def test_command_all_or_nothing_fails_loudly(tmp_path: Path) -> None:
    agency = AgencyFactory()
    path = tmp_path / "records.csv"
    path.write_text("source_record_id,given_names,family_name\nC1,Kai,\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", "persons", str(path), "--agency", str(agency.pk), "--all-or-nothing")
    assert not Person.objects.exists()


def test_command_refuses_an_unknown_agency(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("x")
    with pytest.raises(CommandError, match="no agency with id 999999"):
        call_command("import", "persons", str(path), "--agency", "999999")
