"""The catalogue's texts get a column per site language (django-modeltranslation, see
services/translation.py): ``name_en``, ``name_ind``, ``name_ms``, ... for services' names,
descriptions and groups, questions and allowed answers.

Nothing written so far is lost: the English text is copied into the ``_en`` column and the
Indonesian one from the hand-made ``_id`` column into ``_ind`` (modeltranslation's name for
Indonesian, as ``_id`` would read as a foreign key), and only then are the ``_id`` columns
dropped. Backwards, the Indonesian goes back into the ``_id`` columns.
"""

from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

# (model, [(field, the old Indonesian column)])
TRANSLATED = [
    ("Service", [("name", "name_id"), ("description", "description_id"), ("group", "group_id")]),
    ("ServiceAttribute", [("description", "description_id")]),
    ("AttributeValue", [("name", "name_id")]),
]


def copy_texts(apps, schema_editor):
    for model, fields in TRANSLATED:
        copies = {}
        for field, old in fields:
            copies[f"{field}_en"] = F(field)
            copies[f"{field}_ind"] = NullIf(F(old), Value(""))
        apps.get_model("services", model).objects.update(**copies)


def copy_texts_back(apps, schema_editor):
    for model, fields in TRANSLATED:
        copies = {old: Coalesce(F(f"{field}_ind"), Value("")) for field, old in fields}
        apps.get_model("services", model).objects.update(**copies)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0010_index_published_points_for_the_map"),
    ]

    operations = [
        migrations.AddField(
            model_name="attributevalue",
            name="name_en",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="attributevalue",
            name="name_ind",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="attributevalue",
            name="name_ja",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="attributevalue",
            name="name_ko",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="attributevalue",
            name="name_ms",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="attributevalue",
            name="name_th",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="attributevalue",
            name="name_vi",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="attributevalue",
            name="name_zh_hans",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="service",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="service",
            name="description_ind",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="service",
            name="description_ja",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="service",
            name="description_ko",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="service",
            name="description_ms",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="service",
            name="description_th",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="service",
            name="description_vi",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="service",
            name="description_zh_hans",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="service",
            name="group_en",
            field=models.CharField(
                blank=True,
                help_text="Services of one group should give the same name in each language.",
                max_length=80,
                null=True,
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="group_ind",
            field=models.CharField(
                blank=True,
                help_text="Services of one group should give the same name in each language.",
                max_length=80,
                null=True,
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="group_ja",
            field=models.CharField(
                blank=True,
                help_text="Services of one group should give the same name in each language.",
                max_length=80,
                null=True,
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="group_ko",
            field=models.CharField(
                blank=True,
                help_text="Services of one group should give the same name in each language.",
                max_length=80,
                null=True,
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="group_ms",
            field=models.CharField(
                blank=True,
                help_text="Services of one group should give the same name in each language.",
                max_length=80,
                null=True,
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="group_th",
            field=models.CharField(
                blank=True,
                help_text="Services of one group should give the same name in each language.",
                max_length=80,
                null=True,
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="group_vi",
            field=models.CharField(
                blank=True,
                help_text="Services of one group should give the same name in each language.",
                max_length=80,
                null=True,
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="group_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="Services of one group should give the same name in each language.",
                max_length=80,
                null=True,
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="name_en",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="service",
            name="name_ind",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="service",
            name="name_ja",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="service",
            name="name_ko",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="service",
            name="name_ms",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="service",
            name="name_th",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="service",
            name="name_vi",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="service",
            name="name_zh_hans",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="serviceattribute",
            name="description_en",
            field=models.CharField(max_length=255, null=True, verbose_name="question"),
        ),
        migrations.AddField(
            model_name="serviceattribute",
            name="description_ind",
            field=models.CharField(max_length=255, null=True, verbose_name="question"),
        ),
        migrations.AddField(
            model_name="serviceattribute",
            name="description_ja",
            field=models.CharField(max_length=255, null=True, verbose_name="question"),
        ),
        migrations.AddField(
            model_name="serviceattribute",
            name="description_ko",
            field=models.CharField(max_length=255, null=True, verbose_name="question"),
        ),
        migrations.AddField(
            model_name="serviceattribute",
            name="description_ms",
            field=models.CharField(max_length=255, null=True, verbose_name="question"),
        ),
        migrations.AddField(
            model_name="serviceattribute",
            name="description_th",
            field=models.CharField(max_length=255, null=True, verbose_name="question"),
        ),
        migrations.AddField(
            model_name="serviceattribute",
            name="description_vi",
            field=models.CharField(max_length=255, null=True, verbose_name="question"),
        ),
        migrations.AddField(
            model_name="serviceattribute",
            name="description_zh_hans",
            field=models.CharField(max_length=255, null=True, verbose_name="question"),
        ),
        migrations.AlterField(
            model_name="attributevalue",
            name="name",
            field=models.CharField(max_length=120, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="service",
            name="description",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="service",
            name="group",
            field=models.CharField(
                blank=True,
                help_text="Services of one group should give the same name in each language.",
                max_length=80,
                verbose_name="group",
            ),
        ),
        migrations.AlterField(
            model_name="service",
            name="name",
            field=models.CharField(max_length=120, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="serviceattribute",
            name="description",
            field=models.CharField(max_length=255, verbose_name="question"),
        ),
        migrations.RunPython(copy_texts, copy_texts_back),
        migrations.RemoveField(
            model_name="attributevalue",
            name="name_id",
        ),
        migrations.RemoveField(
            model_name="service",
            name="description_id",
        ),
        migrations.RemoveField(
            model_name="service",
            name="group_id",
        ),
        migrations.RemoveField(
            model_name="service",
            name="name_id",
        ),
        migrations.RemoveField(
            model_name="serviceattribute",
            name="description_id",
        ),
    ]
