from __future__ import annotations

from tests.risk.conftest import national_library

__all__ = ["national_library"]
