"""Test databases (named test_*) may be emptied with TRUNCATE between tests that use real
transactions (a background worker cannot see a test's uncommitted rows). UPDATE and
DELETE stay forbidden everywhere, and any other database still refuses TRUNCATE."""

from django.db import migrations

ALLOW_TEST_TRUNCATE = r"""
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_database() LIKE 'test\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

STRICT = """
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditevent_person_id")]

    operations = [migrations.RunSQL(ALLOW_TEST_TRUNCATE, reverse_sql=STRICT)]
