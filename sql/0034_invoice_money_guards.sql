-- What a new user found on 2026-12-05 in the invoices' money ------------------------------------

-- Invoices for one order imported at once are matched one after the other -----------------------
-- Ten invoices of 1 000 € for an order of 4 425 €, imported at the same moment: eight matched.
-- Each import summed what its order had been invoiced in its own snapshot, before the others had
-- committed, and found room. The import now locks its order's row first (FOR NO KEY UPDATE: an
-- import waits for another of the same order; moves, reports and FK checks do not), so the sum
-- it reads, in a statement after the lock, holds every invoice matched before it.
SELECT rewrite_function('import_invoice(jsonb)',
    $old$SELECT * INTO o FROM purchase_order WHERE number = p_doc ->> 'order_number';$old$,
    $new$SELECT * INTO o FROM purchase_order WHERE number = p_doc ->> 'order_number' FOR NO KEY UPDATE;$new$);
SELECT rewrite_function('import_invoice(jsonb)',
    $old$AND x.number = p_doc -> 'preceding' ->> 0);$old$,
    $new$AND x.number = p_doc -> 'preceding' ->> 0) FOR NO KEY UPDATE;$new$);

-- A credit note naming no invoice is held -------------------------------------------------------------
-- The README promised it (a credit note corrects an invoice it names, BT-25); 0007 checked only
-- the numbers a credit note named, so one naming none was matched and lowered what was invoiced.
SELECT rewrite_function('invoice_problems(jsonb, vendor, purchase_order, text)',
    $old$    IF p_doc ->> 'currency' <> 'EUR' THEN$old$,
    $new$    IF p_doc ->> 'kind' = 'credit_note' AND jsonb_array_length(coalesce(p_doc -> 'preceding', '[]')) = 0 THEN
        v_problems := v_problems || jsonb_build_object('key', 'invoice.held.no_invoice_named');
    END IF;
    IF p_doc ->> 'currency' <> 'EUR' THEN$new$);

-- What cannot be released ----------------------------------------------------------------------------
-- An admin releases a held invoice to accept it as it is: early (not accepted yet), over the
-- order's price, another contract number, arithmetic the seller rounded otherwise. But a
-- document in another currency was then added to the euros of the budget and the vendor's
-- report as if it were euros; one from a seller who is no vendor, or for another vendor's order,
-- used up that order; one for no order counted nowhere. None of these can be paid as it is:
-- the seller sends a credit note and a corrected invoice. The refusal says which.
CREATE FUNCTION invoice_release_refusal(p_reasons jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT k FROM unnest(ARRAY['invoice.held.currency', 'invoice.held.unknown_seller', 'invoice.held.other_vendor',
                               'invoice.held.no_order']) WITH ORDINALITY AS u(k, n)
    WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(p_reasons) r WHERE r ->> 'key' = u.k)
    ORDER BY n LIMIT 1
$$;
REVOKE ALL ON FUNCTION invoice_release_refusal(jsonb) FROM PUBLIC;

SELECT rewrite_function('release_invoice(bigint, text)',
    $old$    v_status text;
BEGIN
    SELECT status INTO v_status FROM invoice WHERE id = p_id FOR UPDATE;$old$,
    $new$    v_status text;
    v_reasons jsonb;
    v_why text;
BEGIN
    SELECT status, reasons INTO v_status, v_reasons FROM invoice WHERE id = p_id FOR UPDATE;$new$);
SELECT rewrite_function('release_invoice(bigint, text)',
    $old$    UPDATE invoice SET status = 'released'$old$,
    $new$    v_why := invoice_release_refusal(v_reasons);
    IF v_why IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.invoice_not_releasable', format('invoice %s cannot be released: %s', p_id, v_why),
                       jsonb_build_object('id', p_id, 'why', 'message:' || replace(v_why, 'invoice.held.', 'invoice.unreleasable.')));
    END IF;
    UPDATE invoice SET status = 'released'$new$);
