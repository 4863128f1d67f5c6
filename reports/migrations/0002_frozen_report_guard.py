"""The database itself refuses to change a published report's content or to delete it, whatever code tries
(StatusReport.save refuses too, but queryset updates and raw SQL bypass it).

PostgreSQL: a trigger on UPDATE and DELETE. SQLite: on UPDATE only, because Django's test runner empties
tables with DELETE there (PostgreSQL uses TRUNCATE, which fires no row triggers).
"""

from django.db import migrations

FROZEN = ["agreement_id", "year", "area_id", "kind", "foreword", "objective_comments", "content",
          "content_sha256", "supersedes_id", "supersede_reason", "published_at"]
MESSAGE = "En offentliggjort statusrapport kan ikke ændres eller slettes; ret den med en ny udgave."

POSTGRES = f"""
CREATE OR REPLACE FUNCTION reports_statusreport_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status <> 'draft' THEN
    IF TG_OP = 'DELETE' OR {" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)}
       OR NEW.status = 'draft' THEN
      RAISE EXCEPTION '{MESSAGE}';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_statusreport_frozen BEFORE UPDATE OR DELETE ON reports_statusreport
FOR EACH ROW EXECUTE FUNCTION reports_statusreport_frozen();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS reports_statusreport_frozen ON reports_statusreport;
DROP FUNCTION IF EXISTS reports_statusreport_frozen();
"""
SQLITE = f"""
CREATE TRIGGER reports_statusreport_frozen BEFORE UPDATE ON reports_statusreport
WHEN OLD.status <> 'draft' AND ({" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)} OR NEW.status = 'draft')
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS reports_statusreport_frozen;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
