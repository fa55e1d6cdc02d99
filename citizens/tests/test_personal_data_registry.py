"""An app plugs its data into “download my data” and “delete my account” by registering it."""

import pytest
from django.core.exceptions import ValidationError

from citizens import account_deletion, data_export, personal_data
from citizens.models import User
from citizens.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """The registry as the apps left it, restored after the test."""
    monkeypatch.setattr(personal_data, "_sections", dict(personal_data._sections))
    monkeypatch.setattr(personal_data, "_shredders", dict(personal_data._shredders))


def test_a_registered_part_appears_in_the_download_where_its_position_says(registry, citizen):
    personal_data.register_export("bikes", lambda user: [user.email], position=15)
    personal_data.register_export("bikes", lambda user: ["one"], position=32, within="follows")
    data = data_export.personal_data(user=citizen)
    keys = list(data)
    assert keys.index("report_comments") < keys.index("bikes") < keys.index("proposals")
    assert data["bikes"] == [citizen.email]
    assert list(data["follows"]) == ["reports", "proposals", "bikes"]


def test_a_registered_shredder_forgets_before_the_account_goes(registry, citizen):
    seen = []
    personal_data.register_shredder("bikes", lambda user: seen.append(User.objects.filter(pk=user.pk).exists()))
    assert account_deletion.account_delete(user=citizen, email=citizen.email, password=PASSWORD)
    assert seen == [True]
    assert not User.objects.filter(pk=citizen.pk).exists()


def test_a_shredder_that_refuses_stops_every_app_from_forgetting(registry, citizen):
    forgotten = []
    personal_data.register_shredder("first", lambda user: forgotten.append("first"))

    def refuse(user):
        raise ValidationError("Not now.")

    personal_data.register_shredder("bikes", lambda user: forgotten.append("bikes"), check=refuse)
    with pytest.raises(ValidationError):
        account_deletion.account_delete(user=citizen, email=citizen.email, password=PASSWORD)
    assert forgotten == []
    assert User.objects.filter(pk=citizen.pk).exists()
