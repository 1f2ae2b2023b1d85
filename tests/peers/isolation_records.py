"""One record of every kind for a contractor (shared by the isolation and round-trip tests)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from peers.services import pledge_save
from tests.peers.factories import (
    ConditionsFactory,
    CouncilFactory,
    CourseFactory,
    ExpenditureFactory,
    PersonFactory,
    TraineeFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build_records(contractor, contract, activity, supporter, coordinator) -> dict:
    pledge = supporter.pledges.get()
    pledge.scan = SimpleUploadedFile("誓約書.pdf", PDF, content_type="application/pdf")
    pledge_save(pledge=pledge, by=None)
    course = CourseFactory(organisation=contractor)
    return {
        "contract": contract,
        "coordinator": coordinator,
        "supporter": supporter,
        "conditions": ConditionsFactory(supporter=supporter),
        "pledge": pledge,
        "activity": activity,
        "person": PersonFactory(organisation=contractor),
        "course": course,
        "trainee": TraineeFactory(course=course),
        "council": CouncilFactory(organisation=contractor),
        "expenditure": ExpenditureFactory(organisation=contractor),
    }
