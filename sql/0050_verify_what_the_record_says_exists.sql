-- `audit verify`: rows added or removed behind the record, and what the history says of steps ------
-- 0038 and 0041 compared the rows that exist with what the record says of them, field by field.
-- A superuser working with the triggers off (`session_replication_role = replica`) could still:
-- - insert a row the record never saw (a matched, paid invoice; a budget), or delete one it
--   recorded (a VAT rate: new orders then took the older rate);
-- - set a request's state or version past its history (released with no release event: checked
--   by `audit verify` as it walks the request's events);
-- - move an order's delivery, acceptance or cancellation (a late delivery's penalty vanished);
-- - change a quote (its price no longer the quote event's);
-- - delete an attached file whose attach event, with its digest, stays in the chain.
-- Each is now a difference `audit verify` names: the row, the field and both values.

-- Audited rows against the record: a row with no record (or whose last record deleted it), and a
-- recorded row that is gone. The record's own actions decide: insert, update and baseline say the
-- row stands, delete that it does not.
CREATE FUNCTION audit_row_presence() RETURNS TABLE (kind text, object text, field text, recorded jsonb, live jsonb)
LANGUAGE sql STABLE AS $$
    WITH tables AS MATERIALIZED (SELECT t.kind FROM workflow.audited_tables() t),
    last AS MATERIALIZED (
        SELECT DISTINCT ON (a.kind, a.object) a.kind, a.object, a.action
        FROM workflow.audit a JOIN tables t ON t.kind = a.kind
        WHERE a.action IN ('insert', 'update', 'delete', 'baseline')
        ORDER BY a.kind, a.object, a.seq DESC),
    live AS MATERIALIZED (
        SELECT t.kind, l.object FROM tables t CROSS JOIN LATERAL workflow.audited_rows(t.kind) l)
    SELECT v.kind, v.object, 'row', to_jsonb(CASE WHEN r.action IS NULL THEN 'no record' ELSE 'deleted' END), to_jsonb('present'::text)
    FROM live v LEFT JOIN last r ON r.kind = v.kind AND r.object = v.object
    WHERE r.action IS NULL OR r.action = 'delete'
    UNION ALL
    SELECT r.kind, r.object, 'row', to_jsonb('present'::text), to_jsonb('absent'::text)
    FROM last r
    WHERE r.action <> 'delete' AND NOT EXISTS (SELECT 1 FROM live v WHERE v.kind = r.kind AND v.object = r.object)
$$;

-- A request's state and version are its history's: `audit verify` reads each request after its
-- events, in the same pass that recomputes their chain, and compares them there.

-- An order's steps are its request's: delivered when the last delivery since the last return was
-- recorded (none after a return), accepted and cancelled when those steps were.
CREATE FUNCTION order_step_differences() RETURNS TABLE (kind text, object text, field text, recorded jsonb, live jsonb)
LANGUAGE sql STABLE AS $$
    SELECT 'purchase_order', o.number, f.field, f.recorded, f.live
    FROM workflow.purchase_order o
    CROSS JOIN LATERAL (SELECT max(e.seq) FILTER (WHERE e.transition = 'order') AS ordered,
                               max(e.seq) FILTER (WHERE e.transition = 'return') AS returned
                        FROM workflow.event e WHERE e.request_id = o.request_id) s
    CROSS JOIN LATERAL (VALUES
        ('delivered_at', (SELECT to_jsonb(e.at) FROM workflow.event e
                          WHERE e.request_id = o.request_id AND e.transition = 'deliver' AND e.seq > coalesce(s.returned, s.ordered, 0)
                          ORDER BY e.seq DESC LIMIT 1), to_jsonb(o.delivered_at)),
        ('accepted_at', (SELECT to_jsonb(e.at) FROM workflow.event e
                         WHERE e.request_id = o.request_id AND e.transition = 'accept' AND e.seq > coalesce(s.ordered, 0)
                         ORDER BY e.seq DESC LIMIT 1), to_jsonb(o.accepted_at)),
        ('cancelled_at', (SELECT to_jsonb(e.at) FROM workflow.event e
                          WHERE e.request_id = o.request_id AND e.transition = 'cancel' AND e.seq > coalesce(s.ordered, 0)
                          ORDER BY e.seq DESC LIMIT 1), to_jsonb(o.cancelled_at))) f(field, recorded, live)
    WHERE f.recorded IS DISTINCT FROM f.live
$$;

-- A quote is its vendor's last quote event: hours, price and delivery date, compared by value.
CREATE FUNCTION quote_live_differences() RETURNS TABLE (kind text, object text, field text, recorded jsonb, live jsonb)
LANGUAGE sql STABLE AS $$
    SELECT 'quote', q.request_id || '/' || q.vendor, f.field, f.recorded, f.live
    FROM workflow.quote q
    LEFT JOIN LATERAL (SELECT e.inputs FROM workflow.event e
                       WHERE e.request_id = q.request_id AND e.transition = 'quote' AND e.inputs ->> 'vendor' = q.vendor
                       ORDER BY e.seq DESC LIMIT 1) e ON true
    CROSS JOIN LATERAL (VALUES ('hours', e.inputs -> 'hours', to_jsonb(q.hours), (e.inputs ->> 'hours')::numeric IS DISTINCT FROM q.hours),
                               ('price', e.inputs -> 'price', to_jsonb(q.price), (e.inputs ->> 'price')::numeric IS DISTINCT FROM q.price),
                               ('delivery', e.inputs -> 'delivery', to_jsonb(q.delivery), (e.inputs ->> 'delivery')::date IS DISTINCT FROM q.delivery))
        f(field, recorded, live, differs)
    WHERE f.differs
$$;
REVOKE ALL ON FUNCTION audit_row_presence(), order_step_differences(), quote_live_differences() FROM PUBLIC;

SELECT rewrite_function('audit_live_differences()', '    SELECT * FROM order_live_differences()',
    $new$    SELECT * FROM order_live_differences()
    UNION ALL
    SELECT * FROM order_step_differences()
    UNION ALL
    SELECT * FROM audit_row_presence()
    UNION ALL
    SELECT * FROM quote_live_differences()$new$);

-- Files: every attach event's file is there. One whose row is gone is listed with no id, and
-- `audit verify` names it (its digest and size as the history recorded them, found nothing).
CREATE OR REPLACE FUNCTION file_evidence()
RETURNS TABLE (request text, file integer, id bigint, chunks integer, sha256 text, size bigint, recorded_sha256 text, recorded_size bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_auditor();
    RETURN QUERY
    SELECT x.request_id, x.n, x.id, x.chunks, x.sha256, x.size, x.recorded_sha256, x.recorded_size FROM (
        SELECT f.request_id, f.n, f.id, f.chunks, f.sha256, f.size, e.inputs ->> 'sha256' AS recorded_sha256,
               (e.inputs ->> 'size')::bigint AS recorded_size
        FROM request_file f LEFT JOIN event e ON e.request_id = f.request_id AND e.seq = f.event_seq
        WHERE f.n IS NOT NULL
        UNION ALL
        SELECT e.request_id, (e.inputs ->> 'file')::integer, NULL::bigint, 0, NULL::text, NULL::bigint, e.inputs ->> 'sha256',
               (e.inputs ->> 'size')::bigint
        FROM event e
        WHERE e.transition = 'attach'
          AND NOT EXISTS (SELECT 1 FROM request_file f WHERE f.request_id = e.request_id AND f.event_seq = e.seq)) x
    ORDER BY x.request_id, x.n;
END
$$;

-- The comparison is one query over every audited table, request, order and quote: its estimated
-- cost is high enough that PostgreSQL would compile it with LLVM, optimised and inlined, on every
-- `audit verify`, which took longer than running it (0.65 s of a million-event verify's 4 s).
ALTER FUNCTION audit_live_differences() SET jit = off;
