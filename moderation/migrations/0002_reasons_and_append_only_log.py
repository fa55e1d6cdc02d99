"""Preset moderation reasons, and a database guard that keeps the audit log append-only."""

from django.db import migrations

REASONS = [
    ("meets-rules", "Meets the rules", "Sesuai aturan"),
    ("spam", "Spam or advertising", "Spam atau iklan"),
    ("abusive", "Abusive or hateful", "Kasar atau mengandung kebencian"),
    ("personal-information", "Contains personal information", "Memuat informasi pribadi"),
    ("off-topic", "Off topic", "Di luar topik"),
    ("duplicate", "Duplicate", "Duplikat"),
    ("illegal", "Unlawful content", "Konten melanggar hukum"),
    ("other", "Other", "Lainnya"),
]

# On PostgreSQL the table itself refuses deletes and any update other than the one Django
# makes when an acting account is deleted (actor set to NULL).


def seed_reasons(apps, schema_editor):
    Reason = apps.get_model("moderation", "ModerationReason")
    for order, (code, label, label_id) in enumerate(REASONS):
        Reason.objects.get_or_create(code=code, defaults={"label": label, "label_id": label_id, "order": order})


def add_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        CREATE OR REPLACE FUNCTION moderation_audit_log_guard() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'the audit log is append-only';
            END IF;
            IF OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
               AND ROW(NEW.id, NEW.actor_role, NEW.action, NEW.content_type_id, NEW.object_id, NEW.kind,
                       NEW.reason, NEW.note, NEW.before::text, NEW.after::text, NEW.created_at)
                   IS NOT DISTINCT FROM
                   ROW(OLD.id, OLD.actor_role, OLD.action, OLD.content_type_id, OLD.object_id, OLD.kind,
                       OLD.reason, OLD.note, OLD.before::text, OLD.after::text, OLD.created_at) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'the audit log is append-only';
        END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER moderation_audit_log_append_only
            BEFORE UPDATE OR DELETE ON moderation_moderationaction
            FOR EACH ROW EXECUTE FUNCTION moderation_audit_log_guard();
        """
    )


def remove_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS moderation_audit_log_append_only ON moderation_moderationaction;"
        "DROP FUNCTION IF EXISTS moderation_audit_log_guard();"
    )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [
        migrations.RunPython(seed_reasons, migrations.RunPython.noop),
        migrations.RunPython(add_guard, remove_guard),
    ]
