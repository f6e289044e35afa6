import os

import redis

r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/2"), decode_responses=True)


def balance(member_id: str) -> int:
    return int(r.get(f"points:{member_id}") or 0)


def add(member_id: str, points: int, reason: str) -> int:
    pipe = r.pipeline()
    pipe.incrby(f"points:{member_id}", points)
    pipe.xadd(f"ledger:{member_id}", {"points": points, "reason": reason}, maxlen=1000)
    new_balance, _ = pipe.execute()
    return new_balance
