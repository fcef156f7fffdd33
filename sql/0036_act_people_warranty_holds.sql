-- The acceptance act names who delivered and who accepted, each delivery with its note, the holds
-- and the warranty ----------------------------------------------------------------------------------
-- A new user read the act as an official of the buyer would and missed:
-- * who accepted the work and who delivered it: the history knows, the signature boxes were blank;
-- * every delivery with what the vendor said of it (only the last note was shown, the dates of all
--   deliveries side by side with nothing to tell them apart);
-- * the holds, which change the days a late delivery counts;
-- * the warranty, which starts with this very acceptance.
-- The holds are request_holds()'s periods (one rule for the act and the penalties), each with the
-- reason its hold event gave; a hold lifted the day it was put stopped the clock for no day and is
-- not listed.
SELECT rewrite_function('order_act(text)',
    $old$        'accepted', (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date,$old$,
    $new$        'accepted', (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date,
        'accepted_by', (SELECT p.name FROM event e JOIN person p ON p.login = e.actor
                        WHERE e.request_id = r.id AND e.transition = 'accept' AND p.role IN ('admin', 'product_owner')
                        ORDER BY e.seq DESC LIMIT 1),
        'delivered_by', (SELECT p.name FROM event e JOIN person p ON p.login = e.actor
                         WHERE e.request_id = r.id AND e.transition = 'deliver' AND p.role = 'vendor' AND p.vendor = o.vendor
                         ORDER BY e.seq DESC LIMIT 1),
        'holds', coalesce((SELECT jsonb_agg(jsonb_build_object('from', lower(x.period), 'to', upper(x.period), 'reason', h.reason) ORDER BY x.n)
                           FROM unnest(request_holds(r.id, (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date)) WITH ORDINALITY x(period, n)
                           JOIN (SELECT e.inputs ->> 'reason' AS reason, row_number() OVER (ORDER BY e.seq) AS n
                                 FROM event e WHERE e.request_id = r.id AND e.transition = 'hold') h ON h.n = x.n
                           WHERE NOT isempty(x.period)), '[]'),
        'warranty', CASE WHEN warranty_end(o) IS NOT NULL
                         THEN jsonb_build_object('months', o.warranty_months, 'until', warranty_end(o), 'fix_days', o.fix_days) END,$new$);
-- Each delivery with its day and the vendor's note (0009 gave the days alone).
SELECT rewrite_function('order_act(text)',
    $old$'deliveries', coalesce((SELECT jsonb_agg((e.at AT TIME ZONE 'Europe/Tallinn')::date ORDER BY e.seq)$old$,
    $new$'deliveries', coalesce((SELECT jsonb_agg(jsonb_build_object('date', (e.at AT TIME ZONE 'Europe/Tallinn')::date,
                                                                  'note', coalesce(e.inputs ->> 'note', '')) ORDER BY e.seq)$new$);
