from django.db import migrations


class Migration(migrations.Migration):
    """The role column of report updates is named as on proposal status changes: ``by_role``.

    A rename: every row keeps its value.
    """

    dependencies = [
        ("services", "0007_service_group_in_indonesian"),
    ]

    operations = [
        migrations.RenameField(model_name="reportupdate", old_name="author_role", new_name="by_role"),
    ]
