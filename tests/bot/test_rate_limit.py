"""The question rate limit: a token bucket per user, one notice per dry spell."""

from __future__ import annotations

import pytest

from bot.rate_limit import PRUNE_SECONDS, Admission, QuestionLimiter, TokenBucket


def test_a_full_bucket_allows_a_burst_of_its_capacity_then_refuses() -> None:
    bucket = TokenBucket.full(capacity=3, per_second=1.0, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]


@pytest.mark.parametrize(
    ("elapsed", "allowed"),
    [(0.0, 0), (0.99, 0), (1.0, 1), (2.5, 2), (100.0, 3)],  # refills at 1/s, never above capacity
)
def test_tokens_return_with_time_up_to_the_capacity(elapsed: float, allowed: int) -> None:
    bucket = TokenBucket.full(capacity=3, per_second=1.0, now=0.0)
    for _ in range(3):
        bucket.take(0.0)
    assert sum(bucket.take(elapsed) for _ in range(5)) == allowed


def test_a_clock_that_steps_back_takes_no_tokens_away() -> None:
    bucket = TokenBucket.full(capacity=2, per_second=1.0, now=10.0)
    bucket.take(10.0)
    assert bucket.take(5.0) and not bucket.take(5.0)


def test_twenty_a_minute_then_one_polite_refusal_then_silence_until_tokens_return() -> None:
    limiter = QuestionLimiter(per_minute=20)
    verdicts = [limiter.admit(7, now=0.0) for _ in range(23)]
    assert verdicts[:20] == [Admission.ANSWER] * 20
    assert verdicts[20:] == [Admission.REFUSE_AND_SAY, Admission.REFUSE_QUIETLY, Admission.REFUSE_QUIETLY]
    assert limiter.admit(7, now=2.9) is Admission.REFUSE_QUIETLY  # a token every 3 s
    assert limiter.admit(7, now=3.0) is Admission.ANSWER
    # Dry again: the next refusal is said again, once.
    assert [limiter.admit(7, now=3.0) for _ in range(2)] == [
        Admission.REFUSE_AND_SAY,
        Admission.REFUSE_QUIETLY,
    ]


def test_users_have_their_own_buckets() -> None:
    limiter = QuestionLimiter(per_minute=2)
    assert [limiter.admit(7, 0.0) for _ in range(3)][-1] is Admission.REFUSE_AND_SAY
    assert limiter.admit(8, 0.0) is Admission.ANSWER


def test_zero_turns_the_limit_off() -> None:
    limiter = QuestionLimiter(per_minute=0)
    assert all(limiter.admit(7, 0.0) is Admission.ANSWER for _ in range(1000))


def test_users_whose_bucket_is_full_again_are_forgotten() -> None:
    limiter = QuestionLimiter(per_minute=60)
    for user in range(100):
        limiter.admit(user, now=0.0)
    limiter.admit(1000, now=PRUNE_SECONDS)  # a minute later every earlier bucket is full: dropped
    assert limiter.tracked_users() == 1
