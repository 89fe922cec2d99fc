"""ARM's request limits kept on the client side: a token bucket per subscription and operation type."""

from __future__ import annotations

from azlake.azure import throttle
from azlake.azure.throttle import TokenBucket


class FakeClock:
    """A clock the bucket's sleeps advance, so the test sees the waits without taking them."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_full_bucket_serves_its_size_at_once_then_at_the_refill_rate():
    clock = FakeClock()
    writes = TokenBucket(200, 10.0, clock=clock, sleep=clock.sleep)  # ARM's subscription write bucket
    waits = [writes.take() for _ in range(200)]
    assert waits == [0.0] * 200
    assert clock.now == 0.0
    assert writes.take() > 0  # the 201st waits for a refill
    for _ in range(99):
        writes.take()
    # 300 writes: 200 from the bucket, 100 more at 10 per second
    assert abs(clock.now - 10.0) < 1e-6


def test_the_refill_never_exceeds_the_bucket():
    clock = FakeClock()
    reads = TokenBucket(250, 25.0, clock=clock, sleep=clock.sleep)
    clock.now = 3600.0  # an hour idle
    for _ in range(250):
        assert reads.take() == 0.0
    assert reads.take() > 0


def test_management_clients_take_tokens_from_their_subscriptions_bucket(clients):
    subscription = clients.target.subscription
    writes = throttle.bucket(subscription, "write", clients.scaled(1.0))
    reads = throttle.bucket(subscription, "read", clients.scaled(1.0))
    writes.tokens, reads.tokens = 100.0, 100.0
    writes.per_second = reads.per_second = 1e-9  # no refill during the test: count what was taken
    try:
        clients.resources.resource_groups.create_or_update("rg-throttle", {"location": "westeurope"})
        clients.resources.resource_groups.get("rg-throttle")
        assert round(writes.tokens) == 99
        assert round(reads.tokens) == 99
    finally:
        throttle._BUCKETS.clear()
