-- Invoices: negative totals held, credit notes never held for the order's price, the VAT rate checked --
-- Three faults of 0007's invoice_problems, found on the demo data:
--
-- * An invoice (not a credit note) whose totals are negative was matched and lowered what was
--   invoiced, and could be paid. EN 16931 lets such a document be valid, so it is not refused as
--   unreadable (exit 65): it is held, with the reason, for an admin to look at. A correction comes
--   as a credit note naming the invoice it corrects (BT-25). A credit note with negative totals
--   would add to what was invoiced: held the same way.
-- * The over-price rule took a credit note as a document that can exceed the order's price: on an
--   order invoiced beyond its price already, a credit note that brings it down was held. The rule
--   now applies only to a document that adds to what was invoiced; a credit note counts as less.
-- * The VAT was never compared with the order's rate: an invoice at 0 % on an order recorded at
--   24 % matched. The document's VAT (BT-110) must be its net (BT-109) times the order's rate,
--   rounded to the cent, within one cent: the cent that 0007's BR-CO-17 check lets a VAT breakdown
--   be off for a seller that rounds line by line. Only one breakdown (one category and rate) can
--   give the order's rate on the whole net, so one cent per breakdown is one cent.
--
-- Each rule is a small function of its own; invoice_problems calls them. Amounts of the document
-- in a reason carry its currency when it is not EUR (`12.40 USD`), so no one reads them as euros.

-- An amount of a document as a reason carries it: the number, with the currency when not EUR.
CREATE FUNCTION invoice_amount(p_amount numeric, p_currency text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_currency = 'EUR' THEN p_amount::text ELSE p_amount::text || ' ' || p_currency END
$$;

-- What a document adds to what was invoiced for its order (net): an invoice its net, a credit note
-- its net taken away.
CREATE FUNCTION invoice_effect(p_doc jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT workflow.invoice_sign(p_doc ->> 'kind') * (p_doc ->> 'net')::numeric
$$;

-- A document whose totals are negative: an invoice that takes away, a credit note that adds.
CREATE FUNCTION invoice_sign_problems(p_doc jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_currency text := p_doc ->> 'currency';
BEGIN
    IF least((p_doc ->> 'net')::numeric, (p_doc ->> 'vat')::numeric, (p_doc ->> 'gross')::numeric) >= 0 THEN
        RETURN '[]';
    END IF;
    RETURN jsonb_build_array(jsonb_build_object(
        'key', CASE p_doc ->> 'kind' WHEN 'credit_note' THEN 'invoice.held.negative_credit_note' ELSE 'invoice.held.negative_invoice' END,
        'net', workflow.invoice_amount((p_doc ->> 'net')::numeric, v_currency),
        'vat', workflow.invoice_amount((p_doc ->> 'vat')::numeric, v_currency),
        'gross', workflow.invoice_amount((p_doc ->> 'gross')::numeric, v_currency)));
END
$$;

-- What is left of the order's net price: a credit note may not take back more than was invoiced,
-- and a document that adds may not bring what was invoiced (matched and released documents,
-- credit notes less) beyond the price. A document that takes away is never over the price.
CREATE FUNCTION invoice_price_problems(p_doc jsonb, p_order purchase_order) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_problems jsonb := '[]';
    v_effect numeric := workflow.invoice_effect(p_doc);
    v_net text := workflow.invoice_amount((p_doc ->> 'net')::numeric, p_doc ->> 'currency');
    v_invoiced numeric;
BEGIN
    SELECT coalesce(sum(workflow.invoice_sign(kind) * net), 0) INTO v_invoiced FROM workflow.invoice
    WHERE order_ref = p_order.number AND status <> 'held';
    IF p_doc ->> 'kind' = 'credit_note' AND v_invoiced + v_effect < 0 AND v_effect < 0 THEN
        v_problems := v_problems || jsonb_build_object('key', 'invoice.held.over_credit', 'order', p_order.number,
                                                      'net', v_net, 'invoiced', v_invoiced);
    END IF;
    IF v_effect > 0 AND v_invoiced + v_effect > p_order.price THEN
        v_problems := v_problems || jsonb_build_object('key', 'invoice.held.over_order', 'order', p_order.number,
                                                      'net', v_net, 'invoiced', v_invoiced, 'price', p_order.price,
                                                      'left', p_order.price - v_invoiced);
    END IF;
    RETURN v_problems;
END
$$;

-- The document's VAT at the order's recorded rate: BT-110 = BT-109 × rate, to the cent, within a cent.
-- The reason names the document's rates (its VAT breakdowns' BT-119, as the client read them, or
-- else its VAT as a share of its net) and the order's.
CREATE FUNCTION invoice_vat_problems(p_doc jsonb, p_order purchase_order) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_net numeric := (p_doc ->> 'net')::numeric;
    v_vat numeric := (p_doc ->> 'vat')::numeric;
    v_expected numeric := workflow.vat_of(v_net, p_order.vat_rate);
    v_currency text := p_doc ->> 'currency';
    v_rates text;
BEGIN
    IF abs(v_vat - v_expected) <= 0.01 THEN
        RETURN '[]';
    END IF;
    SELECT string_agg(r, ',') INTO v_rates FROM jsonb_array_elements_text(coalesce(p_doc -> 'vat_rates', '[]')) r;
    IF v_rates IS NULL AND v_net <> 0 THEN
        v_rates := trim_scale(round(v_vat * 100 / v_net, 2))::text;
    END IF;
    RETURN jsonb_build_array(jsonb_build_object('key', 'invoice.held.vat_rate', 'order', p_order.number,
                                                'rates', 'words:' || coalesce(v_rates, '-'), 'rate', trim_scale(p_order.vat_rate)::text,
                                                'vat', workflow.invoice_amount(v_vat, v_currency), 'net', workflow.invoice_amount(v_net, v_currency),
                                                'expected', workflow.invoice_amount(v_expected, v_currency)));
END
$$;

-- 0007's invoice_problems(): its check of the price is the function above, the VAT's and the
-- totals' sign are added.
SELECT rewrite_function('invoice_problems(jsonb, vendor, purchase_order, text)', $old$        SELECT coalesce(sum(invoice_sign(kind) * net), 0) INTO v_invoiced FROM invoice
        WHERE order_ref = p_order.number AND status <> 'held';
        IF v_sign < 0 AND v_invoiced - (p_doc ->> 'net')::numeric < 0 THEN
            v_problems := v_problems || jsonb_build_object('key', 'invoice.held.over_credit', 'order', p_order.number,
                                                          'net', p_doc ->> 'net', 'invoiced', v_invoiced);
        END IF;
        IF v_invoiced + v_sign * (p_doc ->> 'net')::numeric > p_order.price THEN
            v_problems := v_problems || jsonb_build_object('key', 'invoice.held.over_order', 'order', p_order.number,
                                                          'net', p_doc ->> 'net', 'invoiced', v_invoiced, 'price', p_order.price,
                                                          'left', p_order.price - v_invoiced);
        END IF;
$old$, $new$        v_problems := v_problems || invoice_price_problems(p_doc, p_order) || invoice_vat_problems(p_doc, p_order);
$new$);
-- Then its variables, which nothing reads any more (each step must compile on its own).
SELECT rewrite_function('invoice_problems(jsonb, vendor, purchase_order, text)', $old$    v_sign integer := invoice_sign(p_doc ->> 'kind');
    v_invoiced numeric;
$old$, '');
SELECT rewrite_function('invoice_problems(jsonb, vendor, purchase_order, text)', $old$RETURN v_problems || coalesce(p_doc -> 'arithmetic', '[]');$old$,
    $new$RETURN v_problems || invoice_sign_problems(p_doc) || coalesce(p_doc -> 'arithmetic', '[]');$new$);
