-- The daemon claims what is due in the order it is due ----------------------------------------------
-- Outbox.claim takes the pending messages ORDER BY next_attempt_at, id LIMIT n. 0002's index holds
-- next_attempt_at alone, which does not give that order: while many messages wait (a daemon
-- catching up after a stop, a burst of reminders), every claim read all of them and sorted them,
-- so a backlog of n messages cost n²/batch rows read (20 000 pending: 13.6 ms a claim of 200, the
-- sequential scan and sort of all 20 000; with this index 4.7 ms, the 200 read in order).
CREATE INDEX outbox_pending_order_idx ON outbox (next_attempt_at, id) WHERE status = 'pending';
DROP INDEX outbox_pending_idx;
