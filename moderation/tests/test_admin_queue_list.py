"""The moderation queue list in the admin: what waits, in what order, in context, and decisions in bulk."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizens.tests.factories import UserFactory
from moderation import actions
from moderation.models import ActionKind, Flag, ModerationAction, ModerationReason, ModerationState, QueueItem
from moderation.tests.queue_admin import QUEUE, flag, pending, sign_in
from proposals.models import ProposalComment, ProposalImage
from proposals.tests.factories import StoredProposalFactory
from services.models import Report, ReportComment, ReportPhoto
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db

# The whole admin page: session, account, two-factor and role checks, the count, the page, one query
# per kind (two for reports), the flags, the authors' histories (two), the reasons, the sidebar.
QUEUE_QUERIES = 22


def one_of_each_kind(author) -> list:
    report = ReportFactory(reporter=author, description="A pothole")
    photo = ReportPhoto.objects.create(report=report, state=ReportPhoto.State.READY, thumbnail="reports/t/a.jpg")
    proposal = StoredProposalFactory(author=author)
    return [
        report,
        ReportComment.objects.create(report=report, author=author, body="Me too"),
        photo,
        proposal,
        ProposalComment.objects.create(proposal=proposal, author=author, body="Yes please"),
        ProposalImage.objects.create(proposal=proposal, state=ProposalImage.State.READY, thumbnail="p/t/b.jpg"),
    ]


def rows(response) -> list[tuple[str, int]]:
    return [(item.kind, item.object_id) for item in response.context["cl"].result_list]


def run_action(client, action: str, items, reason: str = "spam", note: str = "Adverts") -> object:
    data = {"action": action, "_selected_action": [item.pk for item in items], "reason": reason, "note": note}
    return client.post(QUEUE, data, follow=True)


def test_the_queue_lists_pending_and_flagged_items_most_flags_first_then_oldest(client, moderator, citizen):
    report = ReportFactory(reporter=citizen)
    old_proposal = StoredProposalFactory(author=citizen)
    pending(old_proposal, days_ago=3)
    newer_report = ReportFactory(reporter=citizen)
    pending(newer_report, days_ago=1)
    once = ReportComment.objects.create(report=report, author=citizen, body="Flagged once")
    twice = ProposalComment.objects.create(
        proposal=StoredProposalFactory(author=citizen), author=citizen, body="Flagged twice"
    )
    flag(once, "report_comment", 1)
    flag(twice, "proposal_comment", 2)
    sign_in(client, moderator)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert rows(response) == [
        ("proposal_comment", twice.pk),
        ("report_comment", once.pk),
        ("proposal", old_proposal.pk),
        ("report", newer_report.pk),
    ]
    content = response.content.decode()
    assert "Moderation queue" in content
    assert "Flagged twice" in content and "Awaiting moderation" in content


def test_each_row_shows_the_flags_with_their_reasons_and_notes(client, moderator, citizen):
    comment = ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Call me")
    flag(comment, "report_comment", 2, reason="spam")
    flag(comment, "report_comment", 1, reason="other", note="phone number")
    sign_in(client, moderator)

    content = client.get(QUEUE).content.decode()

    assert "Spam or advertising ×2, Other: &#x27;phone number&#x27;" in content


def test_a_comment_is_shown_with_what_it_belongs_to_and_photos_as_thumbnails(client, moderator, citizen):
    items = one_of_each_kind(citizen)
    for item in items:
        pending(item)
    sign_in(client, moderator)

    content = client.get(QUEUE).content.decode()

    report, proposal = items[0], items[3]
    assert f'<a href="/reports/{report.pk}/">#{report.pk} {report.service.name}</a>' in content
    assert f'<a href="/proposals/{proposal.pk}/">Shade trees on Jl. Braga</a>' in content
    photo, image = items[2], items[5]
    assert f'src="/photos/report/{photo.pk}/' in content
    assert f'src="{photo.thumbnail_url}"' in content
    assert f'src="{image.thumbnail_url}"' in content


def test_personal_data_in_the_preview_is_highlighted_and_the_rest_escaped(client, moderator, citizen):
    report = ReportFactory(reporter=citizen, description="<b>Lamp</b> out, call 0812 3456 7890 or a@example.org")
    pending(report)
    sign_in(client, moderator)

    content = client.get(QUEUE).content.decode()

    assert "&lt;b&gt;Lamp&lt;/b&gt; out, call <mark>0812 3456 7890</mark> or <mark>a@example.org</mark>" in content


def test_the_author_column_counts_earlier_removals_and_suspensions_by_display_name(client, moderator, citizen):
    earlier = ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Earlier")
    actions.moderate(moderator=moderator, target=earlier, action=ActionKind.HIDE, reason_code="abusive")
    actions.user_suspend(moderator=moderator, user=citizen, reason_code="abusive")
    pending(ReportFactory(reporter=citizen))
    sign_in(client, moderator)

    content = client.get(QUEUE).content.decode()

    assert "Citizen One" in content
    assert "1 item hidden or rejected, 1 suspension, suspended" in content
    assert citizen.email not in content


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (ActionKind.APPROVE, ModerationState.PUBLISHED),
        (ActionKind.HIDE, ModerationState.HIDDEN),
        (ActionKind.REJECT, ModerationState.REJECTED),
        (ActionKind.RESTORE, ModerationState.PUBLISHED),
    ],
)
def test_a_decision_in_bulk_changes_every_selected_item_and_is_logged(client, moderator, citizen, action, state):
    comment = ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Buy now")
    flag(comment, "report_comment", 3)  # hidden automatically
    proposal = StoredProposalFactory(author=citizen)
    pending(proposal)
    untouched = ReportFactory()
    pending(untouched)
    sign_in(client, moderator)

    response = run_action(client, action, QueueItem.objects.exclude(object_id=untouched.pk, kind="report"))

    assert response.status_code == 200
    for item in (comment, proposal):
        item.refresh_from_db()
        assert item.moderation_state == state
        entry = ModerationAction.objects.for_target(item).first()
        assert (entry.action, entry.actor, entry.reason, entry.note) == (action, moderator, "spam", "Adverts")
    assert list(QueueItem.objects.values_list("object_id", flat=True)) == [untouched.pk]
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()


def test_dismissing_the_flags_puts_an_automatically_hidden_item_back(client, moderator, citizen):
    comment = ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Fine really")
    flag(comment, "report_comment", 3)
    sign_in(client, moderator)

    run_action(client, ActionKind.DISMISS_FLAGS, QueueItem.objects.all(), reason="meets-rules", note="")

    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    entry = ModerationAction.objects.for_target(comment).first()
    assert (entry.action, entry.reason) == (ActionKind.DISMISS_FLAGS, "meets-rules")
    assert not QueueItem.objects.exists()


def test_one_item_can_be_decided_alone(client, moderator, citizen):
    first, second = ReportFactory(reporter=citizen), ReportFactory(reporter=citizen)
    pending(first)
    item = pending(second)
    sign_in(client, moderator)

    run_action(client, ActionKind.APPROVE, [item], reason="meets-rules")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.moderation_state, second.moderation_state) == (ModerationState.PENDING, ModerationState.PUBLISHED)


@pytest.mark.parametrize("reason", ["", "no-such-reason"])
def test_without_a_reason_from_the_list_nothing_changes(client, moderator, citizen, reason):
    report = ReportFactory(reporter=citizen)
    pending(report)
    sign_in(client, moderator)

    response = run_action(client, ActionKind.HIDE, QueueItem.objects.all(), reason=reason)

    assert "Choose a reason from the list. Nothing was changed." in response.content.decode()
    report.refresh_from_db()
    assert report.moderation_state == ModerationState.PENDING
    assert QueueItem.objects.count() == 1
    assert not ModerationAction.objects.exists()


def test_an_inactive_reason_is_not_offered(client, moderator, citizen):
    ModerationReason.objects.filter(code="duplicate").update(active=False)
    pending(ReportFactory(reporter=citizen))
    sign_in(client, moderator)

    content = client.get(QUEUE).content.decode()

    assert '<option value="spam">Spam or advertising</option>' in content
    assert 'value="duplicate"' not in content


def test_city_staff_without_the_moderator_role_cannot_open_the_queue(client, staff, citizen):
    pending(ReportFactory(reporter=citizen))
    sign_in(client, staff)

    assert client.get(QUEUE).status_code == 403
    assert client.post(QUEUE, {"action": "hide", "_selected_action": [1], "reason": "spam"}).status_code == 403
    assert "moderation/queueitem" not in client.get(reverse("admin:index")).content.decode()
    assert Report.objects.filter(moderation_state=ModerationState.PENDING).count() == 1


def test_a_citizen_is_sent_to_sign_in(client, citizen):
    client.force_login(citizen)

    response = client.get(QUEUE)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_queue_costs_the_same_queries_for_six_items_as_for_ten_thousand(client, moderator, citizen):
    for item in one_of_each_kind(citizen):
        pending(item)
    QueueItem.objects.update(flag_count=1)  # these six first
    sign_in(client, moderator)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE)
        assert response.status_code == 200
        return len(queries)

    few = count_queries()
    service, author = ServiceFactory(), UserFactory()
    reports = Report.objects.bulk_create(
        [
            Report(
                service=service,
                reporter=author,
                description=f"Pending {number}",
                lat=CITY_LAT,
                lon=CITY_LON,
                moderation_state=ModerationState.PENDING,
            )
            for number in range(10_000)
        ],
        batch_size=1000,
    )
    content_type = ContentType.objects.get_for_model(Report)
    QueueItem.objects.bulk_create(
        [QueueItem(content_type=content_type, object_id=report.pk, kind="report", author=author) for report in reports],
        batch_size=1000,
    )

    many = count_queries()

    assert QueueItem.objects.count() == 10_006
    assert many == few
    assert many <= QUEUE_QUERIES, many
