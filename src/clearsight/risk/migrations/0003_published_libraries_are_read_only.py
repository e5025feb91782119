"""A published library version, its indicators and its protective factors cannot be
changed or deleted, enforced by PostgreSQL: an area that wants different weights or
wording copies the version, edits the draft and publishes it as a new number. Screenings
name the version they used, so they must stay explainable for ever."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION risk_library_version_is_read_only() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'published library version % cannot be changed: publish a new version',
            OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION risk_library_entry_is_read_only() RETURNS trigger AS $$
DECLARE
    checked_version bigint;
BEGIN
    FOR checked_version IN
        SELECT (CASE WHEN TG_OP = 'DELETE' THEN OLD.version_id ELSE NEW.version_id END)
        UNION SELECT (CASE WHEN TG_OP = 'UPDATE' THEN OLD.version_id END)
    LOOP
        IF EXISTS (
            SELECT 1 FROM risk_libraryversion
            WHERE id = checked_version AND status = 'published'
        ) THEN
            RAISE EXCEPTION 'library version % is published and cannot be changed',
                checked_version USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER risk_libraryversion_read_only
    BEFORE UPDATE OR DELETE ON risk_libraryversion
    FOR EACH ROW EXECUTE FUNCTION risk_library_version_is_read_only();

CREATE TRIGGER risk_indicator_read_only
    BEFORE INSERT OR UPDATE OR DELETE ON risk_indicator
    FOR EACH ROW EXECUTE FUNCTION risk_library_entry_is_read_only();

CREATE TRIGGER risk_protectivefactorkind_read_only
    BEFORE INSERT OR UPDATE OR DELETE ON risk_protectivefactorkind
    FOR EACH ROW EXECUTE FUNCTION risk_library_entry_is_read_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS risk_protectivefactorkind_read_only ON risk_protectivefactorkind;
DROP TRIGGER IF EXISTS risk_indicator_read_only ON risk_indicator;
DROP TRIGGER IF EXISTS risk_libraryversion_read_only ON risk_libraryversion;
DROP FUNCTION IF EXISTS risk_library_entry_is_read_only();
DROP FUNCTION IF EXISTS risk_library_version_is_read_only();
"""


class Migration(migrations.Migration):
    dependencies = [("risk", "0002_national_library_v1")]

    operations = [migrations.RunSQL(FORBID, reverse_sql=ALLOW)]
