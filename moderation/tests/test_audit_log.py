"""The audit log is append-only: the model, the admin and (on PostgreSQL) the database refuse changes;
entries outlive the acting account; the CSV export follows the list's filters and names no email."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from citizens import roles
from citizens.tests.factories import UserFactory
from citizens.tests.two_factor import sign_in_with_totp
from moderation import actions
from moderation.models import ActionKind, ModerationAction
from services.models import ReportComment
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

LOG = reverse("admin:moderation_moderationaction_changelist")
EXPORT = reverse("admin:moderation_moderationaction_export")
ON_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="the database guard is PostgreSQL's")


def sign_in(client, user):
    return sign_in_with_totp(client, user)


@pytest.fixture
def comment(citizen):
    return ReportComment.objects.create(report=ReportFactory(reporter=citizen), author=citizen, body="Buy pills")


@pytest.fixture
def entry(moderator, comment):
    actions.moderate(moderator=moderator, target=comment, action=ActionKind.HIDE, reason_code="spam", note="Adverts")
    return ModerationAction.objects.get()


def exported(client, **params) -> list[list[str]]:
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# The model.


def test_saving_an_existing_entry_again_is_refused(entry):
    entry.note = "Rewritten"

    with pytest.raises(PermissionDenied):
        entry.save()

    entry.refresh_from_db()
    assert entry.note == "Adverts"


def test_deleting_an_entry_or_a_queryset_of_entries_is_refused(entry):
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        ModerationAction.objects.all().delete()
    with pytest.raises(PermissionDenied):
        ModerationAction.objects.filter(pk=entry.pk).update(note="Rewritten")

    assert ModerationAction.objects.get().note == "Adverts"


def test_the_entry_outlives_the_moderators_account(entry, moderator):
    moderator.delete()

    entry.refresh_from_db()
    assert entry.actor is None
    assert (entry.actor_role, entry.action, entry.reason, entry.note) == ("moderator", "hide", "spam", "Adverts")


@ON_POSTGRESQL
def test_raw_sql_cannot_change_or_delete_the_log_on_postgresql(entry):
    statements = [
        "UPDATE moderation_moderationaction SET note = 'Rewritten'",
        "UPDATE moderation_moderationaction SET actor_id = NULL, note = 'Rewritten'",
        "DELETE FROM moderation_moderationaction",
    ]
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)

    assert ModerationAction.objects.get().note == "Adverts"


@ON_POSTGRESQL
def test_the_database_lets_only_the_actor_be_cleared_on_postgresql(entry):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_moderationaction SET actor_id = NULL")

    entry.refresh_from_db()
    assert (entry.actor, entry.note) == (None, "Adverts")


# The admin.


def test_the_admin_lists_the_log_and_offers_no_add_change_or_delete(client, moderator, entry):
    sign_in(client, moderator)

    add = reverse("admin:moderation_moderationaction_add")
    listing = client.get(LOG).content.decode()
    assert "Adverts" in listing
    assert add not in listing
    assert "delete_selected" not in listing
    assert client.get(add).status_code == 403
    change = reverse("admin:moderation_moderationaction_change", args=[entry.pk])
    assert client.post(change, {"note": "Rewritten"}).status_code == 403
    delete = reverse("admin:moderation_moderationaction_delete", args=[entry.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    viewed = client.get(change)
    assert viewed.status_code == 200  # read only
    assert 'name="_save"' not in viewed.content.decode()
    assert ModerationAction.objects.get().note == "Adverts"


def test_the_list_filters_by_action_and_kind_and_finds_an_item_by_its_number(client, moderator, entry, comment):
    other = ReportComment.objects.create(report=ReportFactory(), author=UserFactory(), body="Fine")
    actions.moderate(moderator=moderator, target=other, action=ActionKind.APPROVE, reason_code="meets-rules")
    sign_in(client, moderator)

    def shown(**params) -> set[int]:
        return {row.pk for row in client.get(LOG, params).context["cl"].result_list}

    assert shown(action__exact="hide") == {entry.pk}
    assert len(shown(kind__exact="report_comment")) == 2
    assert shown(q=str(comment.pk)) == {entry.pk}
    assert shown(q="not a number") == set()


def test_city_staff_read_the_log_and_citizens_cannot(client, staff, citizen, entry):
    sign_in(client, staff)
    assert client.get(LOG).status_code == 200
    assert client.get(EXPORT).status_code == 200

    client.force_login(citizen)
    assert client.get(LOG).status_code == 302
    assert client.get(EXPORT).status_code == 302


def test_operator_staff_with_admin_access_cannot_read_the_log(client, entry):
    operator = UserFactory(is_staff=True, role=roles.OPERATOR_STAFF)
    sign_in(client, operator)

    assert client.get(LOG).status_code == 403
    assert client.get(EXPORT).status_code == 403


# The CSV export.


def test_the_export_has_a_row_per_entry_and_no_email_address(client, moderator, citizen, entry, comment):
    actions.content_edit(
        moderator=moderator, target=comment, text="Buy", reason_code="spam", note="Wrote to seller@example.org"
    )
    actions.user_suspend(moderator=moderator, user=citizen, reason_code="spam", note="=HYPERLINK(1)")
    sign_in(client, moderator)

    rows = exported(client)

    assert rows[0] == ["when", "actor role", "actor", "action", "kind", "object id", "reason", "note"]
    assert [row[3] for row in rows[1:]] == ["suspend", "edit", "hide"]
    hide = rows[3]
    assert hide[1:] == ["moderator", "Moderator", "hide", "report_comment", str(comment.pk), "spam", "Adverts"]
    assert rows[2][7] == "Wrote to [redacted]"
    assert rows[1][7] == "'=HYPERLINK(1)"  # a spreadsheet would run it as a formula
    text = "\n".join(",".join(row) for row in rows)
    assert "@" not in text
    assert moderator.email not in text and citizen.email not in text


def test_the_export_follows_the_lists_filters(client, moderator, entry):
    other = ReportComment.objects.create(report=ReportFactory(), author=UserFactory(), body="Fine")
    actions.moderate(moderator=moderator, target=other, action=ActionKind.APPROVE, reason_code="meets-rules")
    sign_in(client, moderator)

    assert f'href="{EXPORT}?action__exact=hide"' in client.get(LOG, {"action__exact": "hide"}).content.decode()
    rows = exported(client, action__exact="approve")
    assert [(row[3], row[5]) for row in rows[1:]] == [("approve", str(other.pk))]
    assert [row[5] for row in exported(client, q=str(other.pk))[1:]] == [str(other.pk)]


def test_the_export_names_deleted_accounts_and_automatic_actions(client, moderator, entry, citizen):
    report = ReportFactory()
    for _ in range(3):
        actions.flag_create(flagger=UserFactory(), kind="report", object_id=report.pk, reason="spam")
    moderator.delete()
    reader = UserFactory(display_name="Reader", is_staff=True, role=roles.MODERATORS)
    sign_in(client, reader)

    rows = exported(client)

    assert [(row[1], row[2], row[3]) for row in rows[1:]] == [
        ("system", "automatic", "auto_hide"),
        ("moderator", "deleted account", "hide"),
    ]
