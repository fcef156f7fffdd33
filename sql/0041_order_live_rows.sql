-- `audit verify` compares each order with what its request's history recorded -------------------
-- An order is not an audited table: its request's chained history records it (the order event's
-- inputs hold its number, vendor, contract, price, VAT and deadline; a return may set a new
-- deadline). A superuser who raised an order's price with the triggers off — so that a larger
-- invoice matches it — left no trace, and verify said the chains hold. Now each order is compared
-- with its history: the fields its order event gave it (an order from before VAT was recorded
-- has no VAT to compare), the deadline the last return set, and how many times it was returned.

-- An order as its request's history recorded it, with the same names as order_as_live().
CREATE FUNCTION order_as_recorded(o purchase_order) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT (e.inputs - 'vat_rate' - 'vat' - 'gross' - 'price' - 'deadline')
           || jsonb_strip_nulls(jsonb_build_object(
                'price', e.inputs -> 'price', 'vat_rate', e.inputs -> 'vat_rate', 'vat', e.inputs -> 'vat',
                'gross', e.inputs -> 'gross',
                'deadline', coalesce((SELECT x.inputs -> 'deadline' FROM workflow.event x
                                      WHERE x.request_id = o.request_id AND x.seq > e.seq AND x.transition = 'return'
                                        AND x.inputs ? 'deadline'
                                      ORDER BY x.seq DESC LIMIT 1), e.inputs -> 'deadline')))
           || jsonb_build_object('returns', (SELECT count(*) FROM workflow.event x
                                             WHERE x.request_id = o.request_id AND x.seq > e.seq AND x.transition = 'return'))
    FROM workflow.event e
    WHERE e.request_id = o.request_id AND e.transition = 'order'
    ORDER BY e.seq DESC LIMIT 1
$$;

-- An order's fields as they stand, named as its order event names them.
CREATE FUNCTION order_as_live(o purchase_order) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('order', o.number, 'vendor', o.vendor, 'contract', c.number, 'price', o.price,
                              'vat_rate', o.vat_rate, 'vat', o.vat, 'gross', o.gross, 'deadline', o.deadline,
                              'returns', o.returns)
    FROM workflow.contract c WHERE c.id = o.contract_id
$$;
REVOKE ALL ON FUNCTION order_as_recorded(purchase_order), order_as_live(purchase_order) FROM PUBLIC;

-- The orders whose fields differ from their history, in audit_live_differences()'s shape. The
-- fields both name are compared (a claim's order event also names the order it claims under); an
-- order with no order event in its history differs in its number.
CREATE FUNCTION order_live_differences() RETURNS TABLE (kind text, object text, field text, recorded jsonb, live jsonb)
LANGUAGE sql STABLE AS $$
    SELECT 'purchase_order', o.number, f.key, f.value, x.live -> f.key
    FROM workflow.purchase_order o
    CROSS JOIN LATERAL (SELECT workflow.order_as_recorded(o) AS recorded, workflow.order_as_live(o) AS live) x
    CROSS JOIN LATERAL jsonb_each(coalesce(x.recorded, '{"order": null}')) f
    WHERE x.live ? f.key AND x.live -> f.key IS DISTINCT FROM f.value
$$;
REVOKE ALL ON FUNCTION order_live_differences() FROM PUBLIC;

-- audit verify's comparison takes the orders in.
SELECT rewrite_function('audit_live_differences()', '    ORDER BY t.kind, l.object, r.key;',
    E'    UNION ALL\n    SELECT * FROM order_live_differences()\n    ORDER BY 1, 2, 3;');
