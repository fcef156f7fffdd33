-- An invoice addressed to another buyer is held --------------------------------------------------
-- The import read the seller, the order and the money, but not to whom the invoice was addressed:
-- an invoice naming another legal entity as its buyer (BT-47) was matched to our order and paid
-- from our budget. It is held now when its buyer's registry code is not the organisation's
-- (setting organisation_registry_code), and it cannot be released: the seller sends a credit
-- note and an invoice addressed to us. An invoice that names no buyer code is not held for it.
SELECT rewrite_function('invoice_problems(jsonb, vendor, purchase_order, text)',
    $old$    IF p_doc ->> 'currency' <> 'EUR' THEN$old$,
    $new$    IF p_doc ->> 'buyer_code' IS NOT NULL AND p_doc ->> 'buyer_code' <> setting_value('organisation_registry_code') THEN
        v_problems := v_problems || jsonb_build_object('key', 'invoice.held.other_buyer', 'code', p_doc ->> 'buyer_code',
                                                      'name', coalesce(p_doc ->> 'buyer_name', '-'),
                                                      'ours', setting_value('organisation_registry_code'));
    END IF;
    IF p_doc ->> 'currency' <> 'EUR' THEN$new$);

SELECT rewrite_function('invoice_release_refusal(jsonb)',
    $old$'invoice.held.currency', 'invoice.held.unknown_seller',$old$,
    $new$'invoice.held.currency', 'invoice.held.other_buyer', 'invoice.held.unknown_seller',$new$);
