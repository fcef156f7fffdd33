-- `request show` gives the order's VAT: the rate of its order date, the VAT and the gross --------
-- The order has kept its VAT rate, VAT and gross since 0007 (the budget guard compares the gross),
-- but request_card() showed only the net price: a product owner reading an order saw less than
-- the acceptance act and the budget report say of it. 0006's function, with the three fields.
CREATE OR REPLACE FUNCTION request_card(p_request text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
    v_mine text := reader_vendor(a);
BEGIN
    RETURN jsonb_build_object(
        'description', r.description,
        'requester_login', r.requester_login,
        'created_by', r.created_by,
        'definition', r.definition,
        'invitations', coalesce((SELECT jsonb_agg(jsonb_build_object('vendor', i.vendor, 'due', i.due, 'invited_at', i.invited_at,
              'quote', (SELECT jsonb_build_object('hours', q.hours, 'price', q.price, 'delivery', q.delivery, 'quoted_at', q.quoted_at,
                                                  'quoted_by', q.quoted_by)
                        FROM quote q WHERE q.request_id = i.request_id AND q.vendor = i.vendor)) ORDER BY i.vendor)
            FROM invitation i WHERE i.request_id = r.id AND (v_mine IS NULL OR i.vendor = v_mine)), '[]'),
        'purchase_order', (SELECT jsonb_build_object('number', o.number, 'vendor', o.vendor, 'contract', c.number, 'price', o.price,
              'vat_rate', o.vat_rate, 'vat', o.vat, 'gross', o.gross,
              'order_date', o.order_date, 'deadline', o.deadline, 'delivered_at', o.delivered_at, 'accepted_at', o.accepted_at,
              'returns', o.returns, 'released_at', o.released_at, 'release_version', o.release_version, 'cancelled_at', o.cancelled_at)
            FROM purchase_order o JOIN contract c ON c.id = o.contract_id WHERE o.request_id = r.id AND (v_mine IS NULL OR o.vendor = v_mine)),
        'comments', (SELECT count(*) FROM request_comments(r.id)));
END
$$;
