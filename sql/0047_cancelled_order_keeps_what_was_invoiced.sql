-- A cancelled order keeps what its invoices spent ----------------------------------------------------
-- Cancelling an order gave its whole price back to the budget and the contract, even when invoices
-- had been released or paid for it. `budget list` and the guard then said 48 468 € was left while
-- the budget report, which counts what was invoiced, said 46 608 €, and the guard let an order
-- spend past the report's figure. An order commits its price while it lives; a cancelled one
-- commits nothing, and what was invoiced for it (released, paid) stays spent. One rule says it:
-- order_overrun() — what the invoices charge beyond what the order itself commits — now knows
-- that a cancelled order commits nothing. The invoice trigger no longer passes over cancelled
-- orders, and the cancel step gives back the price less what the invoices keep charged.

-- What is invoiced for an order and counts (not held; a credit note negative).
CREATE FUNCTION order_invoiced(p_order text, OUT gross numeric, OUT net numeric)
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(workflow.invoice_sign(v.kind) * v.gross), 0), coalesce(sum(workflow.invoice_sign(v.kind) * v.net), 0)
    FROM workflow.invoice v WHERE v.order_ref = p_order AND v.status <> 'held'
$$;
REVOKE ALL ON FUNCTION order_invoiced(text) FROM PUBLIC;

SELECT rewrite_function('order_overrun(purchase_order, numeric, numeric)',
    'greatest(p_invoiced_gross - o.gross, 0), greatest(p_invoiced_net - o.price, 0)',
    $new$greatest(p_invoiced_gross - CASE WHEN o.cancelled_at IS NULL THEN o.gross ELSE 0 END, 0),
           greatest(p_invoiced_net - CASE WHEN o.cancelled_at IS NULL THEN o.price ELSE 0 END, 0)$new$);

SELECT rewrite_function('invoice_overrun_charged()', 'IF o.number IS NULL OR o.cancelled_at IS NOT NULL THEN', 'IF o.number IS NULL THEN');
-- The trigger reads what is invoiced through the same function as the cancel step.
SELECT rewrite_function('invoice_overrun_charged()',
    $old$    SELECT coalesce(sum(invoice_sign(v.kind) * v.gross), 0), coalesce(sum(invoice_sign(v.kind) * v.net), 0) INTO v_gross, v_net
    FROM invoice v WHERE v.order_ref = o.number AND v.status <> 'held';$old$,
    $new$    SELECT i.gross, i.net INTO v_gross, v_net FROM order_invoiced(o.number) i;$new$);

SELECT rewrite_function('step_cancel_order(request, person, jsonb, date)',
    '    o purchase_order;',
    $new$    o purchase_order;
    v_live purchase_order;
    v_invoiced record;
    v_before record;
    v_after record;$new$);
SELECT rewrite_function('step_cancel_order(request, person, jsonb, date)',
    $old$        UPDATE contract SET used = used - o.price WHERE id = o.contract_id;
        UPDATE budget SET used = used - o.gross WHERE system = r.system AND year = extract(year FROM o.order_date)::integer;$old$,
    $new$        -- Its price goes back; what its invoices charge stays: the charge beyond the order as it
        -- lived, and as cancelled.
        v_live := o;
        v_live.cancelled_at := NULL;
        SELECT * INTO v_invoiced FROM order_invoiced(o.number);
        SELECT * INTO v_before FROM order_overrun(v_live, v_invoiced.gross, v_invoiced.net);
        SELECT * INTO v_after FROM order_overrun(o, v_invoiced.gross, v_invoiced.net);
        UPDATE contract SET used = used - o.price - v_before.net + v_after.net WHERE id = o.contract_id;
        UPDATE budget SET used = used - o.gross - v_before.gross + v_after.gross
        WHERE system = r.system AND year = extract(year FROM o.order_date)::integer;$new$);

-- The orders cancelled before: what their invoices spent is spent again.
UPDATE budget b SET used = b.used + x.gross
FROM (SELECT r.system, extract(year FROM o.order_date)::integer AS year, sum(c.gross) AS gross
      FROM purchase_order o JOIN request r ON r.id = o.request_id
      CROSS JOIN LATERAL order_invoiced(o.number) i
      CROSS JOIN LATERAL order_overrun(o, i.gross, i.net) c
      WHERE o.cancelled_at IS NOT NULL GROUP BY 1, 2) x
WHERE b.system = x.system AND b.year = x.year AND x.gross > 0;
UPDATE contract k SET used = k.used + x.net
FROM (SELECT o.contract_id, sum(c.net) AS net
      FROM purchase_order o
      CROSS JOIN LATERAL order_invoiced(o.number) i
      CROSS JOIN LATERAL order_overrun(o, i.gross, i.net) c
      WHERE o.cancelled_at IS NOT NULL GROUP BY 1) x
WHERE k.id = x.contract_id AND x.net > 0;
