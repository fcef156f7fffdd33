-- An invoice whose total with VAT is not its net plus its VAT cannot be released ------------------
-- A release accepts a held invoice as it is: rounding the seller did otherwise in its lines stays
-- releasable. But the invoice is stored, counted against the budget and paid as three figures
-- (net, VAT, gross); when BT-112 is not BT-109 + BT-110 they disagree with each other, and a
-- release paid 99.40 for 10.00 + 2.40. Such a document is one the seller corrects: a credit note
-- and a corrected invoice, as for the other reasons 0034 and 0048 made unreleasable.
SELECT rewrite_function('invoice_release_refusal(jsonb)',
    $old$'invoice.held.no_order']$old$,
    $new$'invoice.held.no_order', 'invoice.problem.total_with_vat']$new$);
SELECT rewrite_function('release_invoice(bigint, text)',
    $old$'message:' || replace(v_why, 'invoice.held.', 'invoice.unreleasable.')$old$,
    $new$'message:' || replace(replace(v_why, 'invoice.held.', 'invoice.unreleasable.'), 'invoice.problem.', 'invoice.unreleasable.')$new$);
