from __future__ import annotations

import pytest

from clearsight.risk import library
from clearsight.risk.models import Indicator, LibraryVersion, ProtectiveFactorKind


@pytest.fixture
def national_library(db: None) -> LibraryVersion:
    """National version 1 as the data migration loads it (tests with real transactions
    empty the tables afterwards, so it is put back here when missing)."""
    return library.install_national(
        1,
        version_model=LibraryVersion,
        indicator_model=Indicator,
        kind_model=ProtectiveFactorKind,
    )
