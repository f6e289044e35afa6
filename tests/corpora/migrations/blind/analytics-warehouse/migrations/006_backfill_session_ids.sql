-- Attach historical events to sessions, 20k ids at a time with a commit after
-- each batch (procedure-level COMMIT, so this file must not have BEGIN).
DO $$
DECLARE
    lo      bigint;
    hi      bigint;
    max_id  bigint;
BEGIN
    SELECT min(id), max(id) INTO lo, max_id FROM analytics.events WHERE session_id IS NULL;
    WHILE lo IS NOT NULL AND lo <= max_id LOOP
        hi := lo + 20000;
        UPDATE analytics.events e -- ok: MIGRATION
        SET session_id = s.id
        FROM analytics.sessions s
        WHERE e.id >= lo AND e.id < hi
          AND e.session_id IS NULL
          AND e.user_id = s.user_id
          AND e.occurred_at >= s.started_at
          AND e.occurred_at < coalesce(s.ended_at, s.started_at + interval '30 minutes');
        COMMIT;
        lo := hi;
    END LOOP;
END
$$;

-- ended_at from the old tracker is unreliable (tab close is often missed);
-- recompute it from the last event of every session.
UPDATE analytics.sessions s -- expect: MIGRATION
SET ended_at = (SELECT max(e.occurred_at) FROM analytics.events e WHERE e.session_id = s.id);
