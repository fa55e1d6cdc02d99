"""The content apps register their kinds with moderation at start-up; moderation names none of them."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from moderation.kinds import KINDS, Kind, flaggable, kind_of, register
from moderation.models import Moderated


def test_every_moderated_model_is_registered_so_moderators_can_act_on_it():
    moderated = [model for model in apps.get_models() if issubclass(model, Moderated)]

    assert moderated
    assert sorted(model._meta.label for model in moderated) == sorted(kind.model._meta.label for kind in KINDS.values())


def test_citizens_flag_contributions_but_not_photos_which_go_with_their_item():
    assert flaggable() == ("report", "report_comment", "proposal", "proposal_comment")


def test_a_kind_registered_twice_is_refused_at_start_up():
    report = KINDS["report"]

    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        register(Kind("report", report.model, report.label, report.author_path))

    assert KINDS["report"] is report


def test_a_model_that_is_not_registered_is_not_moderated_content():
    with pytest.raises(LookupError):
        kind_of(apps.get_model("moderation", "ModerationReason")())
