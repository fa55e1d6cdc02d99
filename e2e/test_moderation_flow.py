"""A moderator signs in with a TOTP code, hides a flagged comment from the queue with a preset reason;
the public no longer sees it and the audit log records it."""

import pytest
from playwright.sync_api import expect

from citizens import roles
from citizens.tests.factories import UserFactory
from e2e.conftest import PHONE
from e2e.test_staff_two_factor import log_in_with_totp
from moderation import actions
from moderation.models import ModerationAction, ModerationReason, ModerationState, QueueItem
from services.models import ReportComment
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
SPAM = "Cheap watches, visit my shop"


def test_a_moderator_hides_a_flagged_comment_from_the_queue(page, browser, live_server):
    # Transactional tests empty the tables, the preset reasons too: put back the one used here.
    ModerationReason.objects.get_or_create(code="spam", defaults={"label": "Spam or advertising"})
    author, flagger = UserFactory(display_name="Seller"), UserFactory(display_name="Neighbour")
    report = ReportFactory(description="Broken street lamp")
    comment = ReportComment.objects.create(report=report, author=author, body=SPAM)
    actions.flag_create(flagger=flagger, kind="report_comment", object_id=comment.pk, reason="spam", note="advert")
    moderator = UserFactory(display_name="Moderator Ayu", is_staff=True, role=roles.MODERATORS)

    page.goto(f"/reports/{report.pk}/")
    expect(page.get_by_text(SPAM)).to_be_visible()  # one flag does not hide it

    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    admin = context.new_page()
    log_in_with_totp(admin, moderator, start="/admin/")
    expect(admin.get_by_role("heading", name="Site administration")).to_be_visible()

    admin.get_by_role("link", name="Moderation queue").first.click()
    expect(admin.get_by_role("heading", name="Moderation queue")).to_be_visible()
    row = admin.get_by_role("row").filter(has_text=SPAM)
    expect(row).to_contain_text("Spam or advertising: 'advert'")
    expect(row).to_contain_text("Published")
    row.get_by_role("checkbox").check()
    admin.get_by_label("Action:").select_option(label="Hide the selected items")
    admin.get_by_label("Reason").select_option(label="Spam or advertising")
    admin.get_by_label("Note (optional)").fill("Advertising in a comment")
    admin.get_by_role("button", name="Go").click()

    expect(admin.get_by_text("Hidden: 1 item.")).to_be_visible()
    expect(admin.get_by_role("row").filter(has_text=SPAM)).to_have_count(0)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.HIDDEN
    assert not QueueItem.objects.exists()

    # Another visitor: the browser that showed the page may keep its copy for PAGE_MAX_AGE seconds.
    visitor = browser.new_page(viewport=PHONE, base_url=live_server.url)
    visitor.goto(f"/reports/{report.pk}/")
    expect(visitor.get_by_text("Broken street lamp")).to_be_visible()
    expect(visitor.get_by_text(SPAM)).to_have_count(0)
    visitor.close()

    admin.get_by_role("link", name="Audit log").first.click()
    entry = admin.get_by_role("row").filter(has_text="Advertising in a comment")
    expect(entry).to_contain_text("Hidden")
    expect(entry).to_contain_text("Moderator Ayu")
    expect(entry).to_contain_text("report_comment")
    expect(entry).to_contain_text("spam")
    assert ModerationAction.objects.get().actor == moderator
    context.close()
