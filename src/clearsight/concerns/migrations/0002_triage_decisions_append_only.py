"""Triage decisions are the record of who decided what about a concern, when and why:
PostgreSQL refuses to change or delete one. (TRUNCATE is left alone, so test databases
can still be emptied between browser tests.)"""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION concerns_triage_decision_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'triage decisions are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER concerns_triage_decision_no_update_or_delete
    BEFORE UPDATE OR DELETE ON concerns_triagedecision
    FOR EACH ROW EXECUTE FUNCTION concerns_triage_decision_is_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS concerns_triage_decision_no_update_or_delete ON concerns_triagedecision;
DROP FUNCTION IF EXISTS concerns_triage_decision_is_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, reverse_sql=ALLOW)]
