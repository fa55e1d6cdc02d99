"""Stored HTML is what every reader gets: render it again from the redacted Markdown."""

from django.db import migrations


def publish_redacted(apps, schema_editor):
    from cocreate.redaction import published_html

    for name in ("Proposal", "ProposalComment"):
        model = apps.get_model("proposals", name)
        changed = []
        for item in model.objects.only("pk", "body", "body_html").iterator(chunk_size=500):
            html = published_html(item.body) if item.body else ""
            if html != item.body_html:
                item.body_html = html
                changed.append(item)
            if len(changed) >= 500:
                model.objects.bulk_update(changed, ["body_html"])
                changed = []
        model.objects.bulk_update(changed, ["body_html"])


class Migration(migrations.Migration):
    dependencies = [("proposals", "0003_private_random_upload_names")]

    operations = [migrations.RunPython(publish_redacted, migrations.RunPython.noop, elidable=True)]
