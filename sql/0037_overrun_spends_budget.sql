-- What an order's invoices take beyond its price is spent from its budget and contract too --------
-- The budget's guard reads the running total (budget.used: each order's gross when placed); the
-- budget report reads the invoices (what was invoiced, or the order's gross while less was). They
-- agreed until an admin released an invoice beyond its order's price: the report's "left" fell
-- by the excess, `budget list` and the guard did not, and an order the report said did not fit
-- was placed. An invoice that changes what its order was invoiced beyond the price (matched,
-- released, a credit note that brings it back) now changes the running totals by as much:
-- gross for the budget, net for the contract's cap. So the guard, `budget list` and the report
-- give one figure: the budget less, for each order, its gross or what was invoiced if more.

-- What a live order's invoices (matched and released, credit notes less) take beyond its price.
CREATE FUNCTION order_overrun(o purchase_order, p_invoiced_gross numeric, p_invoiced_net numeric, OUT gross numeric, OUT net numeric)
LANGUAGE sql IMMUTABLE AS $$
    SELECT greatest(p_invoiced_gross - o.gross, 0), greatest(p_invoiced_net - o.price, 0)
$$;
REVOKE ALL ON FUNCTION order_overrun(purchase_order, numeric, numeric) FROM PUBLIC;

CREATE FUNCTION invoice_overrun_charged() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    o purchase_order;
    v_gross numeric;
    v_net numeric;
    v_sign integer := invoice_sign(NEW.kind);
    v_now record;
    v_was record;
BEGIN
    SELECT * INTO o FROM purchase_order WHERE number = NEW.order_ref;
    IF o.number IS NULL OR o.cancelled_at IS NOT NULL THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(sum(invoice_sign(v.kind) * v.gross), 0), coalesce(sum(invoice_sign(v.kind) * v.net), 0) INTO v_gross, v_net
    FROM invoice v WHERE v.order_ref = o.number AND v.status <> 'held';
    v_now := order_overrun(o, v_gross, v_net);
    -- As it was before this row: without what it counts now, with what it counted before.
    IF NEW.status <> 'held' THEN
        v_gross := v_gross - v_sign * NEW.gross;
        v_net := v_net - v_sign * NEW.net;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status <> 'held' THEN
        v_gross := v_gross + invoice_sign(OLD.kind) * OLD.gross;
        v_net := v_net + invoice_sign(OLD.kind) * OLD.net;
    END IF;
    v_was := order_overrun(o, v_gross, v_net);
    IF v_now.gross <> v_was.gross THEN
        UPDATE budget SET used = used + v_now.gross - v_was.gross
        WHERE system = (SELECT r.system FROM request r WHERE r.id = o.request_id) AND year = extract(year FROM o.order_date)::integer;
    END IF;
    IF v_now.net <> v_was.net THEN
        UPDATE contract SET used = used + v_now.net - v_was.net WHERE id = o.contract_id;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION invoice_overrun_charged() FROM PUBLIC;
CREATE TRIGGER invoice_overrun AFTER INSERT OR UPDATE OF status ON invoice FOR EACH ROW EXECUTE FUNCTION invoice_overrun_charged();

-- What was released beyond a price before this migration, charged once now.
UPDATE budget b SET used = b.used + x.gross
FROM (SELECT r.system, extract(year FROM o.order_date)::integer AS year, sum((order_overrun(o, i.gross, i.net)).gross) AS gross
      FROM purchase_order o JOIN request r ON r.id = o.request_id
      CROSS JOIN LATERAL (SELECT coalesce(sum(invoice_sign(v.kind) * v.gross), 0) AS gross, coalesce(sum(invoice_sign(v.kind) * v.net), 0) AS net
                          FROM invoice v WHERE v.order_ref = o.number AND v.status <> 'held') i
      WHERE o.cancelled_at IS NULL GROUP BY 1, 2) x
WHERE b.system = x.system AND b.year = x.year AND x.gross > 0;
UPDATE contract c SET used = c.used + x.net
FROM (SELECT o.contract_id, sum((order_overrun(o, i.gross, i.net)).net) AS net
      FROM purchase_order o
      CROSS JOIN LATERAL (SELECT coalesce(sum(invoice_sign(v.kind) * v.gross), 0) AS gross, coalesce(sum(invoice_sign(v.kind) * v.net), 0) AS net
                          FROM invoice v WHERE v.order_ref = o.number AND v.status <> 'held') i
      WHERE o.cancelled_at IS NULL GROUP BY 1) x
WHERE c.id = x.contract_id AND x.net > 0;
