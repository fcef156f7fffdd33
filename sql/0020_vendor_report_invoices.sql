-- The vendor's report reads its invoices in one pass ---------------------------------------------
-- 0007's vendor_report_query summed each order's invoices in a LATERAL subquery, which ran once
-- for every row of the report, order or not (100 000 aggregates for 100 000 requests, the
-- report 5× psql's COPY of its rows). The same sums, grouped once over the vendor's invoices and
-- joined by order: the same rows, columns and order (an order without invoices holds none: 0).
CREATE OR REPLACE FUNCTION vendor_report_query(p_vendor text, p_today date)
RETURNS TABLE (request text, system text, title text, state text, quote_due date, hours numeric, price numeric, delivery date,
               order_number text, order_date date, deadline date, days_late integer, delivered_on date, accepted_on date, returns integer,
               invoices text, held integer, invoiced numeric, to_invoice numeric, paid numeric)
LANGUAGE sql STABLE AS $$
    SELECT r.id, r.system, r.title, r.state, i.due, q.hours, q.price, q.delivery, o.number, o.order_date, o.deadline,
           CASE WHEN o.number IS NULL OR o.cancelled_at IS NOT NULL THEN NULL
                ELSE greatest(0, coalesce((coalesce(o.delivered_at, o.accepted_at) AT TIME ZONE 'Europe/Tallinn')::date,
                                          CASE WHEN r.state = 'ordered' THEN p_today END) - o.deadline) END,
           (o.delivered_at AT TIME ZONE 'Europe/Tallinn')::date, (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date,
           coalesce(o.returns, 0),
           x.numbers, CASE WHEN o.number IS NOT NULL THEN coalesce(x.held, 0)::integer END, x.invoiced,
           CASE WHEN o.number IS NOT NULL AND o.cancelled_at IS NULL THEN o.price - coalesce(x.invoiced, 0) END, x.paid
    FROM workflow.invitation i
    JOIN workflow.request r ON r.id = i.request_id
    LEFT JOIN workflow.quote q ON q.request_id = i.request_id AND q.vendor = i.vendor
    LEFT JOIN workflow.purchase_order o ON o.request_id = i.request_id AND o.vendor = i.vendor
    LEFT JOIN (
        SELECT v.order_ref, v.vendor, string_agg(v.number, ', ' ORDER BY v.issue_date, v.id) AS numbers,
               count(*) FILTER (WHERE v.status = 'held') AS held,
               sum(workflow.invoice_sign(v.kind) * v.net) FILTER (WHERE v.status <> 'held') AS invoiced,
               sum(workflow.invoice_sign(v.kind) * v.net) FILTER (WHERE v.status <> 'held' AND v.paid_on IS NOT NULL) AS paid
        FROM workflow.invoice v WHERE v.vendor = p_vendor GROUP BY v.order_ref, v.vendor) x
      ON x.order_ref = o.number AND x.vendor = i.vendor
    WHERE i.vendor = p_vendor
    ORDER BY r.system, r.number
$$;
