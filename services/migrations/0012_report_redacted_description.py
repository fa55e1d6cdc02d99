"""Keep each report's description as the open datasets publish it, redacted, beside the original.

The column is filled once here for the reports already stored, in batches: the text is copied as
it is in one statement, then the rare descriptions the redaction changes are written again.
"""

from django.db import migrations, models
from django.db.models import F

BATCH = 2000


def fill_redacted_descriptions(apps, schema_editor):
    from cocreate.redaction import redact

    report_model = apps.get_model("services", "Report")
    report_model.objects.update(redacted_description=F("description"))
    changed = []
    for pk, description in report_model.objects.order_by("pk").values_list("pk", "description").iterator(BATCH):
        redacted = redact(description)
        if redacted != description:
            changed.append(report_model(pk=pk, redacted_description=redacted))
        if len(changed) >= BATCH:
            report_model.objects.bulk_update(changed, ["redacted_description"])
            changed = []
    report_model.objects.bulk_update(changed, ["redacted_description"])


class Migration(migrations.Migration):
    dependencies = [("services", "0011_catalogue_in_every_language")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="redacted_description",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_redacted_descriptions, migrations.RunPython.noop, elidable=True),
    ]
