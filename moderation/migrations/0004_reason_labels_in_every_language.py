"""Reasons' labels get a column per site language (django-modeltranslation, see
moderation/translation.py). The English label is copied into ``label_en`` and the Indonesian
one from the hand-made ``label_id`` into ``label_ind`` before ``label_id`` is dropped: no label
written so far is lost. Backwards, the Indonesian goes back into ``label_id``."""

from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf


def copy_labels(apps, schema_editor):
    apps.get_model("moderation", "ModerationReason").objects.update(
        label_en=F("label"), label_ind=NullIf(F("label_id"), Value(""))
    )


def copy_labels_back(apps, schema_editor):
    apps.get_model("moderation", "ModerationReason").objects.update(label_id=Coalesce(F("label_ind"), Value("")))


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_alter_moderationaction_action"),
    ]

    operations = [
        migrations.AddField(
            model_name="moderationreason",
            name="label_en",
            field=models.CharField(max_length=120, null=True, verbose_name="label"),
        ),
        migrations.AddField(
            model_name="moderationreason",
            name="label_ind",
            field=models.CharField(max_length=120, null=True, verbose_name="label"),
        ),
        migrations.AddField(
            model_name="moderationreason",
            name="label_ja",
            field=models.CharField(max_length=120, null=True, verbose_name="label"),
        ),
        migrations.AddField(
            model_name="moderationreason",
            name="label_ko",
            field=models.CharField(max_length=120, null=True, verbose_name="label"),
        ),
        migrations.AddField(
            model_name="moderationreason",
            name="label_ms",
            field=models.CharField(max_length=120, null=True, verbose_name="label"),
        ),
        migrations.AddField(
            model_name="moderationreason",
            name="label_th",
            field=models.CharField(max_length=120, null=True, verbose_name="label"),
        ),
        migrations.AddField(
            model_name="moderationreason",
            name="label_vi",
            field=models.CharField(max_length=120, null=True, verbose_name="label"),
        ),
        migrations.AddField(
            model_name="moderationreason",
            name="label_zh_hans",
            field=models.CharField(max_length=120, null=True, verbose_name="label"),
        ),
        migrations.AlterField(
            model_name="moderationreason",
            name="label",
            field=models.CharField(max_length=120, verbose_name="label"),
        ),
        migrations.RunPython(copy_labels, copy_labels_back),
        migrations.RemoveField(
            model_name="moderationreason",
            name="label_id",
        ),
    ]
