"""clean_attributes checks each answer against its question's datatype and allowed values."""

import pytest
from django.core.exceptions import ValidationError

from services.attributes import STRING_MAX, clean_attributes, describe_answers
from services.models import AttributeValue, ServiceAttribute
from services.tests.factories import AttributeFactory, ServiceFactory

pytestmark = pytest.mark.django_db

Datatype = ServiceAttribute.Datatype


@pytest.fixture
def service(db):
    service = ServiceFactory()
    AttributeFactory(service=service, code="count", datatype=Datatype.NUMBER)
    AttributeFactory(service=service, code="seen_at", datatype=Datatype.DATETIME)
    AttributeFactory(service=service, code="pole", datatype=Datatype.STRING)
    AttributeFactory(service=service, code="details", datatype=Datatype.TEXT)
    AttributeFactory(service=service, code="note", variable=False, description="Photos help us.")
    single = AttributeFactory(service=service, code="size", datatype=Datatype.SINGLEVALUELIST)
    multi = AttributeFactory(service=service, code="waste", datatype=Datatype.MULTIVALUELIST)
    for attribute, keys in ((single, ("small", "large")), (multi, ("household", "rubble", "hazardous"))):
        for order, key in enumerate(keys):
            AttributeValue.objects.create(
                attribute=attribute, key=key, name=key.title(), name_ind=f"{key}-id", order=order
            )
    return service


def errors_of(service, raw) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        clean_attributes(service, raw)
    return caught.value.message_dict["attributes"]


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("3", 3),
        (3, 3),
        ("2.5", 2.5),
        (" 7 ", 7),
        ("-1e2", -100),
    ],
)
def test_a_number_is_stored_as_an_int_when_whole_and_a_float_otherwise(service, raw, cleaned):
    value = clean_attributes(service, {"count": raw})["count"]

    assert value == cleaned
    assert type(value) is type(cleaned)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("three", "count: Enter a number."),
        ("nan", "count: Enter a finite number."),
        ("1e999", "count: Enter a finite number."),
    ],
)
def test_a_number_that_is_not_a_finite_number_is_refused(service, raw, message):
    assert errors_of(service, {"count": raw}) == [message]


def test_a_datetime_is_stored_in_iso_format_with_its_offset(service):
    cleaned = clean_attributes(service, {"seen_at": "2026-11-02 08:30:00+07:00"})

    assert cleaned == {"seen_at": "2026-11-02T08:30:00+07:00"}


@pytest.mark.parametrize("raw", ["yesterday", "2026-13-45T08:00:00", "02/11/2026 08:30"])
def test_a_datetime_that_cannot_be_read_is_refused_with_an_example(service, raw):
    assert errors_of(service, {"seen_at": raw}) == ["seen_at: Enter a date and time such as 2026-11-02T08:30:00+07:00."]


def test_a_multivaluelist_keeps_each_listed_key_once_in_the_given_order(service):
    cleaned = clean_attributes(service, {"waste": ["rubble", "household", "rubble"]})

    assert cleaned == {"waste": ["rubble", "household"]}


def test_a_multivaluelist_accepts_a_single_key(service):
    assert clean_attributes(service, {"waste": "hazardous"}) == {"waste": ["hazardous"]}


def test_a_multivaluelist_with_an_unlisted_key_is_refused(service):
    assert errors_of(service, {"waste": ["household", "asbestos"]}) == ["waste: Choose only listed values."]


@pytest.mark.parametrize("raw", ["large", ["large"]])
def test_a_singlevaluelist_stores_one_listed_key(service, raw):
    assert clean_attributes(service, {"size": raw}) == {"size": "large"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("huge", "size: Choose one of the listed values."),
        (["small", "large"], "size: Choose one value."),
        ("Large", "size: Choose one of the listed values."),
    ],
)
def test_a_singlevaluelist_refuses_anything_but_one_listed_key(service, raw, message):
    assert errors_of(service, {"size": raw}) == [message]


def test_a_string_is_trimmed_and_limited_to_255_characters(service):
    assert clean_attributes(service, {"pole": "  P-42  "}) == {"pole": "P-42"}
    assert clean_attributes(service, {"pole": "x" * STRING_MAX}) == {"pole": "x" * STRING_MAX}
    assert errors_of(service, {"pole": "x" * (STRING_MAX + 1)}) == ["pole: Use at most 255 characters."]


def test_a_long_text_may_be_longer_than_a_string(service):
    assert clean_attributes(service, {"details": "y" * 1000}) == {"details": "y" * 1000}


def test_unknown_codes_and_informational_notes_are_ignored(service):
    cleaned = clean_attributes(service, {"nonsense": "x", "note": "an answer to a note", "pole": "P-1"})

    assert cleaned == {"pole": "P-1"}


def test_empty_optional_answers_are_left_out(service):
    assert clean_attributes(service, {"pole": "", "waste": [], "count": None}) == {}


def test_a_required_answer_of_only_spaces_is_missing(service):
    AttributeFactory(service=service, code="where", datatype=Datatype.STRING, required=True)

    assert errors_of(service, {"where": "   "}) == ["where: This answer is required."]


def test_every_bad_answer_is_reported_at_once(service):
    messages = errors_of(service, {"count": "many", "size": "huge", "waste": ["nope"]})

    assert sorted(message.split(":")[0] for message in messages) == ["count", "size", "waste"]


@pytest.mark.parametrize("raw", [["pole", "P-1"], "pole=P-1", 42])
def test_answers_that_are_not_an_object_are_refused(service, raw):
    assert errors_of(service, raw) == ["Answers must be an object keyed by attribute code."]


def test_answers_are_described_with_the_names_of_the_chosen_values(service):
    pairs = describe_answers(service, {"size": "large", "waste": ["household", "rubble"], "count": 2})

    assert ("A question", "Large") in pairs
    assert ("A question", "Household, Rubble") in pairs
    assert ("A question", "2") in pairs
