-- A VAT rate is set for days to come, never for days gone -----------------------------------------
-- `vat set --from 2020-01-01 --rate 25` was accepted and rewrote history: `vat list` said 25 %
-- for 2020–2023, while the orders of those years keep the rate they recorded, and a rate set
-- from a past day of this year became the rate of today's new orders, beside orders placed
-- earlier today at the old one. A rate now applies from tomorrow (in Tallinn) at the earliest; a
-- rate planned for a later day may still be changed (the audit log keeps the old value).
SELECT rewrite_function('set_vat_rate(date, numeric)',
    'INSERT INTO vat_rate (valid_from, rate)',
    $new$IF p_from <= (now() AT TIME ZONE 'Europe/Tallinn')::date THEN
        PERFORM refuse('DW422', 'error.vat_past', format('a VAT rate applies from tomorrow at the earliest, not from %s', p_from),
                       jsonb_build_object('from', p_from, 'earliest', (now() AT TIME ZONE 'Europe/Tallinn')::date + 1));
    END IF;
    INSERT INTO vat_rate (valid_from, rate)$new$);
