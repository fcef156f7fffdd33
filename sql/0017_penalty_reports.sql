-- Penalty reports and warranty reminders (issue 19, the part beside 0016).
--
-- The daemon's warranty_ending reminder finds the orders whose warranty ends within about a month
-- through an index on the warranty's last day: the expression of 0016's warranty_end(o), which
-- gives the value (the function itself is STABLE, so it cannot be indexed). The daemon calls
-- warranty_end(o) for that value.

CREATE INDEX purchase_order_warranty_end_idx
    ON purchase_order ((((accepted_at AT TIME ZONE 'Europe/Tallinn')::date + make_interval(months => warranty_months))::date))
    WHERE warranty_months > 0 AND cancelled_at IS NULL AND accepted_at IS NOT NULL;

GRANT EXECUTE ON FUNCTION warranty_end(purchase_order) TO devworkflow_daemon;
