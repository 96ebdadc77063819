"""On PostgreSQL, refuse UPDATE and DELETE on audit events and published anchors.

Row-level BEFORE triggers: a statement that touches no row passes, TRUNCATE (used by the
test framework to flush tables) is not affected, and the head row stays updatable. A DBA
can still get around them (``SET session_replication_role = replica`` or ``ALTER TABLE ...
DISABLE TRIGGER``); the hash chain and the published anchors are what detect that.
SQLite has no such guard: there the chain alone is the defence.
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditanchor")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION zhengcai_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation',
              HINT = 'Audit events and published anchors can never be changed or removed.';
END;
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)  # the % are plpgsql, not placeholders
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION zhengcai_audit_refuse_change()"
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS zhengcai_audit_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_head_row")]

    operations = [migrations.RunPython(install, uninstall)]
