"""``manage.py poll_gbfs [SLUG]`` polls now and says what each feed gave."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from operators.models import Vehicle
from operators.tests.factories import OperatorFactory
from operators.tests.gbfs_server import feed_operator

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("poll_gbfs", *args, stdout=out)
    return out.getvalue()


def test_it_polls_every_operator_with_a_feed(gbfs_server):
    feed_operator(gbfs_server, "v2.3", slug="kring")
    feed_operator(gbfs_server, "v3.0", slug="zoom")
    OperatorFactory(slug="walk")  # no feed
    gbfs_server.fail("v3.0/vehicle_status.json", status=500)
    output = run()
    lines = output.splitlines()
    assert lines[0].startswith("kring: ok, 4 vehicles read, 1 available at stations, GBFS 2.3, in ")
    assert lines[1] == (
        "zoom: failing (http_error) after "
        + lines[1].split(" after ")[1].split(" ms")[0]
        + " ms: The vehicle_status file could not be read: the server answered HTTP 500."
    )
    assert len(lines) == 2
    assert "b-7f3a" not in output


def test_it_polls_one_operator_by_its_short_name(gbfs_server):
    feed_operator(gbfs_server, "v2.3", slug="kring")
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    output = run("zoom")
    assert output.startswith("zoom: ok, 3 vehicles read")
    assert set(Vehicle.objects.values_list("operator", flat=True)) == {zoom.pk}
    assert "unchanged since the last poll" in run("zoom")


def test_an_unknown_short_name_is_an_error():
    OperatorFactory(slug="kring")
    with pytest.raises(CommandError, match="No operator has the short name 'nope' \\(known: kring\\)"):
        run("nope")


def test_an_operator_without_a_feed_is_an_error():
    OperatorFactory(slug="walk")
    with pytest.raises(CommandError, match="has no GBFS feed"):
        run("walk")


def test_an_unknown_short_name_exits_non_zero_from_the_command_line(capsys):
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "poll_gbfs", "nope"]).execute()
    assert exited.value.code != 0
    assert "No operator has the short name 'nope'" in capsys.readouterr().err
