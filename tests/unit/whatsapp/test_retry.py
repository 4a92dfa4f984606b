"""One retry policy and one notion of "transient" for everything that talks HTTP."""

from whatsapp.errors import MetaError, SendOutcome, is_transient, outcome_for
from whatsapp.retry import RetryPolicy


def test_the_delay_doubles_up_to_the_cap_and_jitter_stays_within_half_of_it():
    policy = RetryPolicy(base=0.5, cap=30.0)
    assert [policy.delay(n) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]
    jittered = RetryPolicy(base=0.2, cap=5.0, attempts=5, jitter=True)
    assert all(0.2 <= jittered.delay(2) <= 0.4 for _ in range(200))  # 0.4 s, half of it jittered


def test_bounded_and_unbounded_policies_give_up_when_they_should():
    assert [RetryPolicy(30, 3600, attempts=8).gives_up(n) for n in (1, 7, 8)] == [False, False, True]
    assert not RetryPolicy(0.5, 30).gives_up(10_000)


def test_transient_means_rate_limits_server_errors_and_no_answer():
    assert [is_transient(code) for code in (None, 429, 500, 503, 400, 404, 200)] == [True] * 4 + [False] * 3
    assert is_transient(400, outcome_for(MetaError.RATE_LIMITED)) and is_transient(400, SendOutcome.TOO_MANY_TO_USER)
    assert not is_transient(400, outcome_for(MetaError.UNDELIVERABLE))
