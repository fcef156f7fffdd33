-- Invoices: what a new user released or matched that moved the money wrongly ---------------------
-- The auditor trial of 2026-12-05:
-- - A credit note naming another order's invoice (BT-25) was matched to the order it named, and
--   lowered what was invoiced for it. It is now held: the invoice it corrects is for another order.
-- - A negative invoice, and a credit note with negative totals, could be released; each reason
--   already said "a correction comes as a credit note". Neither can be released now (0034's list).
-- - A credit note released when what was invoiced for its order had fallen (another credit note
--   released first) took the order's invoiced below zero: the vendor's report showed -415.00 €
--   invoiced and more "to invoice" than the price. Release now refuses a document that would take
--   its order's invoiced below zero, with the figures.
SELECT rewrite_function('invoice_problems(jsonb, vendor, purchase_order, text)',
    $old$    IF p_doc ->> 'currency' <> 'EUR' THEN$old$,
    $new$    IF p_order.number IS NOT NULL AND p_doc ->> 'kind' = 'credit_note'
       AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(p_doc -> 'preceding', '[]')) n
                   JOIN invoice x ON x.seller_code = p_doc ->> 'seller_code' AND x.number = n AND x.kind = 'invoice'
                   WHERE x.order_ref IS DISTINCT FROM p_order.number) THEN
        v_problems := v_problems || jsonb_build_object('key', 'invoice.held.preceding_other_order', 'order', p_order.number,
            'numbers', 'words:' || (SELECT string_agg(n, ',') FROM jsonb_array_elements_text(p_doc -> 'preceding') n),
            'orders', 'words:' || (SELECT string_agg(DISTINCT coalesce(x.order_ref, '-'), ',')
                                   FROM jsonb_array_elements_text(p_doc -> 'preceding') n
                                   JOIN invoice x ON x.seller_code = p_doc ->> 'seller_code' AND x.number = n AND x.kind = 'invoice'
                                   WHERE x.order_ref IS DISTINCT FROM p_order.number));
    END IF;
    IF p_doc ->> 'currency' <> 'EUR' THEN$new$);

SELECT rewrite_function('invoice_release_refusal(jsonb)',
    $old$'invoice.held.no_order', 'invoice.problem.total_with_vat']$old$,
    $new$'invoice.held.no_order', 'invoice.problem.total_with_vat', 'invoice.held.negative_invoice',
                               'invoice.held.negative_credit_note']$new$);

SELECT rewrite_function('release_invoice(bigint, text)',
    $old$    v_why text;
BEGIN$old$,
    $new$    v_why text;
    v_order text;
    v_effect numeric;
    v_invoiced numeric;
BEGIN$new$);
SELECT rewrite_function('release_invoice(bigint, text)',
    $old$    UPDATE invoice SET status = 'released', released_by$old$,
    $new$    SELECT x.order_ref, invoice_sign(x.kind) * x.net INTO v_order, v_effect FROM invoice x WHERE x.id = p_id;
    IF v_order IS NOT NULL AND v_effect < 0 THEN
        SELECT coalesce(sum(invoice_sign(x.kind) * x.net), 0) INTO v_invoiced FROM invoice x WHERE x.order_ref = v_order AND x.status <> 'held';
        IF v_invoiced + v_effect < 0 THEN
            PERFORM refuse('DW422', 'error.invoice_release_below_zero',
                           format('invoice %s would take what was invoiced for %s below zero (%s invoiced, %s credited)', p_id, v_order,
                                  v_invoiced, -v_effect),
                           jsonb_build_object('id', p_id, 'order', v_order, 'invoiced', v_invoiced, 'net', -v_effect));
        END IF;
    END IF;
    UPDATE invoice SET status = 'released', released_by$new$);
