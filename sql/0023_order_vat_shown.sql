-- `request show` gives the order's VAT: the rate of its order date, the VAT and the gross --------
-- The order has kept its VAT rate, VAT and gross since 0007 (the budget guard compares the gross),
-- but request_card() showed only the net price: a product owner reading an order saw less than
-- the acceptance act and the budget report say of it. 0006's function, with the three fields.
SELECT rewrite_function('request_card(text)', $old$'contract', c.number, 'price', o.price,$old$,
    $new$'contract', c.number, 'price', o.price, 'vat_rate', o.vat_rate, 'vat', o.vat, 'gross', o.gross,$new$);
