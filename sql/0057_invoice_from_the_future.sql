-- An invoice dated after today is held ----------------------------------------------------------------
-- A document whose issue date (BT-2) is still to come in Tallinn was matched and could be paid
-- before the day it says it was issued. It is held now, with the date, for an admin to release
-- once it is right (or for the seller to correct). A date before the order is not held: an
-- advance invoice, or a seller's template, is a question for the admin's eye, not a rule.
SELECT rewrite_function('invoice_problems(jsonb, vendor, purchase_order, text)',
    $old$    IF p_doc ->> 'currency' <> 'EUR' THEN$old$,
    $new$    IF (p_doc ->> 'issue_date')::date > (now() AT TIME ZONE 'Europe/Tallinn')::date THEN
        v_problems := v_problems || jsonb_build_object('key', 'invoice.held.future_date', 'date', p_doc ->> 'issue_date');
    END IF;
    IF p_doc ->> 'currency' <> 'EUR' THEN$new$);
