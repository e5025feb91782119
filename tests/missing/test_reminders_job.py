"""The Return Home Interview reminder job, with a frozen clock: who is reminded, when,
and that each reminder arrives exactly once however often the job runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from procrastinate.contrib.django import app

from clearsight.access.roles import Role
from clearsight.areas.models import Membership
from clearsight.audit.models import AuditEvent
from clearsight.missing import tasks
from clearsight.missing.deadlines import rhi_due_at
from clearsight.missing.models import MissingEpisode, ReturnHomeInterview, RhiState
from clearsight.missing.reminder_services import send_rhi_reminders
from clearsight.notifications.models import Notification
from clearsight.people.models import Person
from tests.conftest import Cast
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

RETURNED_AT = datetime(2026, 11, 16, 14, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


def returned_episode(cast: Cast, child: Person, returned_at: datetime) -> MissingEpisode:
    police = cast.members[Role.POLICE_OFFICER]
    return MissingEpisode.objects.create(
        person=child,
        reported_at=returned_at - 20 * HOUR,
        reported_by=police.user,
        reporting_membership=police,
        started_at=returned_at - 20 * HOUR,
        ended_at=returned_at,
    )


def interview_for(
    cast: Cast,
    *,
    returned_at: datetime = RETURNED_AT,
    worker: Membership | None = None,
    state: str = RhiState.OFFERED,
) -> ReturnHomeInterview:
    episode = returned_episode(cast, PersonFactory(area=cast.area), returned_at)
    return ReturnHomeInterview.objects.create(
        episode=episode, due_at=rhi_due_at(returned_at), state=state, worker=worker
    )


@pytest.fixture
def worker(cast: Cast) -> Membership:
    """The RHI worker, managed by the missing children coordinator."""
    membership = cast.members[Role.RHI_WORKER]
    membership.line_manager = cast.members[Role.MISSING_COORDINATOR]
    membership.save(update_fields=["line_manager"])
    return membership


def titles_for(membership: Membership) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=membership.user).values_list("title", flat=True)
    )


def run_at(time_machine, moment: datetime, capture) -> int:  # type: ignore[no-untyped-def]
    time_machine.move_to(moment, tick=False)
    with capture(execute=True):
        return send_rhi_reminders()


def test_nothing_is_sent_at_47_hours(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    interview_for(cast, worker=worker)
    assert run_at(time_machine, RETURNED_AT + 47 * HOUR, django_capture_on_commit_callbacks) == 0
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_at_48_hours_the_worker_and_their_manager_are_each_reminded_once(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    interview = interview_for(cast, worker=worker)
    manager = cast.members[Role.MISSING_COORDINATOR]
    assert run_at(time_machine, RETURNED_AT + 48 * HOUR, django_capture_on_commit_callbacks) == 2
    assert titles_for(worker) == ["Return home interview due in 24 hours"]
    assert titles_for(manager) == ["Return home interview due in 24 hours"]
    notification = Notification.objects.get(recipient=worker.user)
    assert notification.url == f"/missing/{interview.episode_id}/"
    assert notification.person_id == interview.episode.person_id
    # 72 hours after 2:30pm GMT on 16 November.
    assert notification.body == (
        f"The return home interview for missing episode {interview.episode_id} "
        "is due by 19 November 2026 at 14:30."
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([worker.user.email, manager.user.email])


def test_running_the_job_twice_leaves_exactly_one_notification_and_one_email(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    interview_for(cast, worker=worker)
    at = RETURNED_AT + 48 * HOUR
    run_at(time_machine, at, django_capture_on_commit_callbacks)
    assert (
        run_at(time_machine, at + 5 * timedelta(minutes=1), django_capture_on_commit_callbacks) == 0
    )
    assert Notification.objects.filter(recipient=worker.user).count() == 1
    assert len(mail.outbox) == 2  # one for the worker, one for the manager


def test_the_periodic_task_runs_the_same_reminders_once(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    interview_for(cast, worker=worker)
    time_machine.move_to(RETURNED_AT + 50 * HOUR, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_rhi_reminders(timestamp=int(timezone.now().timestamp()))
        tasks.send_rhi_reminders(timestamp=int(timezone.now().timestamp()))
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_at_72_hours_the_overdue_reminder_follows_the_first(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    interview_for(cast, worker=worker)
    run_at(time_machine, RETURNED_AT + 48 * HOUR, django_capture_on_commit_callbacks)
    assert run_at(time_machine, RETURNED_AT + 72 * HOUR, django_capture_on_commit_callbacks) == 2
    assert titles_for(worker) == [
        "Return home interview due in 24 hours",
        "Return home interview is overdue",
    ]
    assert len(titles_for(cast.members[Role.MISSING_COORDINATOR])) == 2
    assert len(mail.outbox) == 4


def test_a_job_that_first_runs_after_the_deadline_sends_only_the_overdue_reminder(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    interview_for(cast, worker=worker)
    run_at(time_machine, RETURNED_AT + 80 * HOUR, django_capture_on_commit_callbacks)
    assert titles_for(worker) == ["Return home interview is overdue"]


def test_a_first_run_over_imported_history_reminds_only_about_the_last_weeks_overdue(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """Years of interviews left open in an imported history send nothing: they are on the
    overdue list. An interview that fell overdue in the last week is still reminded."""
    now = RETURNED_AT + 40 * 24 * HOUR
    for days_ago in (30, 100, 400, 900):
        interview_for(cast, worker=worker, returned_at=now - days_ago * 24 * HOUR)
    recent = interview_for(cast, worker=worker, returned_at=now - 9 * 24 * HOUR)
    sent = run_at(time_machine, now, django_capture_on_commit_callbacks)
    assert sent == 2  # the worker and their line manager, about the recent one
    assert titles_for(worker) == ["Return home interview is overdue"]
    assert Notification.objects.get(recipient=worker.user).url == (f"/missing/{recent.episode_id}/")


@pytest.mark.parametrize("state", [RhiState.COMPLETED, RhiState.NOT_COMPLETED, RhiState.DECLINED])
def test_finished_interviews_get_no_reminders(
    state: str, cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    interview_for(cast, worker=worker, state=state)
    assert run_at(time_machine, RETURNED_AT + 72 * HOUR, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_an_interview_not_yet_offered_reminds_the_areas_missing_coordinators(
    cast: Cast, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    second = MembershipFactory(
        agency=cast.agencies[cast.members[Role.MISSING_COORDINATOR].agency.agency_type],
        role=Role.MISSING_COORDINATOR.value,
    )
    elsewhere = MembershipFactory(role=Role.MISSING_COORDINATOR.value)  # another area
    ended = MembershipFactory(
        agency=second.agency, role=Role.MISSING_COORDINATOR.value, ended_at=RETURNED_AT
    )
    interview = interview_for(cast, worker=None, state=RhiState.TO_OFFER)
    assert run_at(time_machine, RETURNED_AT + 48 * HOUR, django_capture_on_commit_callbacks) == 2
    reminded = set(Notification.objects.values_list("recipient_id", flat=True))
    assert reminded == {cast.user(Role.MISSING_COORDINATOR).pk, second.user_id}
    assert elsewhere.user_id not in reminded and ended.user_id not in reminded
    assert Notification.objects.first().body.endswith(  # type: ignore[union-attr]
        "No worker has been offered it yet."
    )
    assert interview.episode.person.family_name not in Notification.objects.first().body  # type: ignore[union-attr]


def test_a_line_manager_whose_role_has_ended_is_not_reminded(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    manager = cast.members[Role.MISSING_COORDINATOR]
    manager.ended_at = RETURNED_AT
    manager.save(update_fields=["ended_at"])
    interview_for(cast, worker=worker)
    assert run_at(time_machine, RETURNED_AT + 48 * HOUR, django_capture_on_commit_callbacks) == 1
    assert titles_for(manager) == []


def test_when_the_worker_is_suspended_the_coordinators_are_reminded_instead(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    worker.user.is_active = False
    worker.user.save(update_fields=["is_active"])
    interview_for(cast, worker=worker)
    run_at(time_machine, RETURNED_AT + 48 * HOUR, django_capture_on_commit_callbacks)
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [
        cast.user(Role.MISSING_COORDINATOR).pk
    ]


def test_emails_say_only_that_there_is_something_to_read(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    interview = interview_for(cast, worker=worker)
    run_at(time_machine, RETURNED_AT + 48 * HOUR, django_capture_on_commit_callbacks)
    child = interview.episode.person
    for email in mail.outbox:
        text = email.subject + email.body
        assert "/notifications/" in email.body
        assert child.family_name not in text and child.given_names not in text
        assert f"episode {interview.episode_id}" not in text


def test_a_run_that_sends_reminders_is_audited_with_counts_only(
    cast: Cast, worker: Membership, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    interview_for(cast, worker=worker)
    run_at(time_machine, RETURNED_AT + 47 * HOUR, django_capture_on_commit_callbacks)
    assert not AuditEvent.objects.filter(action="rhi.reminders_sent").exists()
    run_at(time_machine, RETURNED_AT + 48 * HOUR, django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get(action="rhi.reminders_sent")
    assert event.actor_user is None and event.person_id is None
    assert event.details == {"notifications": 2, "interviews": 1}


def test_a_repeat_run_costs_the_same_few_queries_however_many_interviews(
    cast: Cast,
    worker: Membership,
    time_machine,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        interview_for(cast, worker=worker)
    interview_for(cast, worker=None, state=RhiState.TO_OFFER)
    at = RETURNED_AT + 49 * HOUR
    run_at(time_machine, at, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(5):
        assert run_at(time_machine, at, django_capture_on_commit_callbacks) == 0


def test_the_job_runs_every_five_minutes_on_its_own_queue() -> None:
    periodic = app.periodic_registry.periodic_tasks[("clearsight.missing.send_rhi_reminders", "")]
    assert periodic.cron == "*/5 * * * *"
    assert periodic.task.queue == "reminders"


@pytest.mark.django_db(transaction=True)
def test_a_worker_listening_on_every_queue_sends_the_reminders(cast: Cast) -> None:
    worker = cast.members[Role.RHI_WORKER]
    interview_for(cast, worker=worker, returned_at=timezone.now() - 49 * HOUR)
    tasks.send_rhi_reminders.defer(timestamp=int(timezone.now().timestamp()))
    # As scripts/run-demo starts it: no --queues, so every queue.
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    assert titles_for(worker) == ["Return home interview due in 24 hours"]
    assert len(mail.outbox) == 1
