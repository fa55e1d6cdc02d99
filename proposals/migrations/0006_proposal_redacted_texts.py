"""Keep each proposal's title, summary and answer as the open datasets publish them, redacted.

The columns are filled once here for the proposals already stored, in batches: the texts are
copied as they are in one statement, then the few the redaction changes are written again.
"""

from django.db import migrations, models
from django.db.models import F

BATCH = 2000
TEXTS = ("title", "summary", "answer")


def fill_redacted_texts(apps, schema_editor):
    from cocreate.redaction import redact

    proposal_model = apps.get_model("proposals", "Proposal")
    proposal_model.objects.update(**{f"redacted_{name}": F(name) for name in TEXTS})
    fields = [f"redacted_{name}" for name in TEXTS]
    changed = []
    for pk, *texts in proposal_model.objects.order_by("pk").values_list("pk", *TEXTS).iterator(BATCH):
        redacted = [redact(text) for text in texts]
        if redacted != texts:
            changed.append(proposal_model(pk=pk, **dict(zip(fields, redacted, strict=True))))
        if len(changed) >= BATCH:
            proposal_model.objects.bulk_update(changed, fields)
            changed = []
    proposal_model.objects.bulk_update(changed, fields)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0005_proposal_image_labels")]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="redacted_title",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="proposal",
            name="redacted_summary",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="proposal",
            name="redacted_answer",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_redacted_texts, migrations.RunPython.noop, elidable=True),
    ]
