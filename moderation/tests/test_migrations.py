"""The moderation reasons' labels survive the move to a column per language, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from moderation.models import ModerationReason

BEFORE_TRANSLATIONS = ("moderation", "0003_alter_moderationaction_action")


def migrate(target: tuple[str, str] | None = None) -> None:
    """To ``target``, or forward to the latest migrations (as the other tests need them)."""
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_reasons_indonesian_label_survives_the_move_to_a_column_per_language():
    migrate(BEFORE_TRANSLATIONS)
    try:
        Reason = (
            MigrationExecutor(connection)
            .loader.project_state(BEFORE_TRANSLATIONS)
            .apps.get_model("moderation", "ModerationReason")
        )
        Reason.objects.create(code="copyright", label="Copyright", label_id="Hak cipta", order=9)
        # A preset reason whose Indonesian label staff changed (other tests may have flushed the presets).
        Reason.objects.update_or_create(
            code="spam", defaults={"label": "Spam or advertising", "label_id": "Spam (diubah staf)"}
        )
    finally:
        migrate()

    reason = ModerationReason.objects.get(code="copyright")
    assert (reason.label_en, reason.label_ind) == ("Copyright", "Hak cipta")
    with translation.override("id"):
        assert reason.label == "Hak cipta"
        assert ModerationReason.objects.get(code="spam").label == "Spam (diubah staf)"
    with translation.override("ko"):
        assert reason.label == "Copyright"  # not translated yet: English
        assert ModerationReason.objects.get(code="spam").label == "스팸 또는 광고"

    migrate(BEFORE_TRANSLATIONS)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT label, label_id FROM moderation_moderationreason WHERE code = 'copyright'")
            assert cursor.fetchall() == [("Copyright", "Hak cipta")]
    finally:
        migrate()
