"""Case notes are the record of what the team knew and did: PostgreSQL refuses to change
or delete one, so a correction is always a new note pointing to the old. (TRUNCATE is
left alone, so test databases can still be emptied between browser tests.)"""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION cases_case_note_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case notes are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_case_note_no_update_or_delete
    BEFORE UPDATE OR DELETE ON cases_casenote
    FOR EACH ROW EXECUTE FUNCTION cases_case_note_is_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS cases_case_note_no_update_or_delete ON cases_casenote;
DROP FUNCTION IF EXISTS cases_case_note_is_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, reverse_sql=ALLOW)]
