"""The outbox's retry schedule and delivery reports (pure parts of services.outbox)."""

from datetime import timedelta

import pytest

from reviewtool.services.outbox import MAX_ATTEMPTS, Report, backoff


@pytest.mark.parametrize(("attempts", "minutes"), [
    (1, 1), (2, 2), (3, 4), (4, 8), (7, 64), (9, 256), (10, 360), (30, 360)])
def test_backoff_doubles_from_one_minute_capped_at_six_hours(attempts, minutes):
    assert backoff(attempts) == timedelta(minutes=minutes)


def test_max_attempts_is_eight():
    assert MAX_ATTEMPTS == 8


def test_report_sum_adds_each_count_and_handled_counts_all():
    total = Report(sent=2, retried=1) + Report(sent=1, failed=1)
    assert (total, total.handled) == (Report(sent=3, failed=1, retried=1), 5)
