"""Settings for the test suite: the project's settings in test mode."""

import os
import tempfile
from pathlib import Path

os.environ["CLEARSIGHT_MODE"] = "test"

from clearsight.settings import *  # noqa: F403
from clearsight.settings import PASSWORD_HASHERS

# Argon2 stays first (tests check it); a cheap hasher is kept for factory-made users.
PASSWORD_HASHERS = [*PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Uploaded import files go to a throwaway folder, not the demo's var/imports.
CLEARSIGHT_IMPORT_DIR = Path(tempfile.mkdtemp(prefix="clearsight-imports-"))
