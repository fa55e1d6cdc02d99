import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from citizens.models import User


@pytest.mark.django_db
def test_it_stores_email_in_lower_case_and_logs_in_by_any_case():
    user = User.objects.create_user("Ana.Putri@Example.ORG", "a-long-password-1")
    assert user.email == "ana.putri@example.org"
    assert User.objects.get_by_natural_key("ANA.PUTRI@example.org") == user


@pytest.mark.django_db
def test_it_refuses_a_second_account_with_the_same_email_in_another_case():
    User.objects.create_user("ana@example.org", "a-long-password-1")
    with pytest.raises(ValidationError):
        User.objects.create_user("ANA@example.org", "a-long-password-2")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_the_database_itself_refuses_a_case_variant_of_an_email():
    User.objects.create_user("ana@example.org", "a-long-password-1")
    # Bypass save()'s normalisation: the constraint must hold on its own.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Ana@Example.org", password="x")])


@pytest.mark.django_db
def test_its_public_name_never_shows_the_email():
    user = User.objects.create_user("private@example.org", "a-long-password-1")
    assert "private" not in str(user)
    assert "private" not in user.public_name
    user.display_name = "Rina"
    assert user.public_name == "Rina"


@pytest.mark.django_db
def test_role_groups_exist_after_migrations(moderator, staff, operator_staff):
    assert moderator.role_labels() == ["Moderator"]
    assert staff.role_labels() == ["City staff"]
    assert operator_staff.role_labels() == ["Operator staff"]
    assert User.objects.in_role("Moderators").get() == moderator


@pytest.mark.django_db
def test_it_knows_whether_the_email_is_verified(citizen):
    from citizens.tests.factories import UserFactory

    assert citizen.has_verified_email()
    assert not UserFactory(verified=False).has_verified_email()
