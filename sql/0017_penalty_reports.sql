-- Penalty reports and warranty reminders (issue 19, the part beside 0016).
--
-- The daemon's warranty_ending reminder finds the orders whose warranty ends within about a month
-- through an index on the warranty's last day, 0016's warranty_last_day(), which warranty_end(o)
-- also calls for the value.

CREATE INDEX purchase_order_warranty_end_idx
    ON purchase_order (warranty_last_day(accepted_at, warranty_months))
    WHERE warranty_months > 0 AND cancelled_at IS NULL AND accepted_at IS NOT NULL;

GRANT EXECUTE ON FUNCTION warranty_end(purchase_order), warranty_last_day(timestamptz, integer) TO devworkflow_daemon;
