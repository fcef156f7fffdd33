-- A framework contract can be amended: its end and its cap ---------------------------------------
-- A new user, as an admin, could not extend a contract or raise its cap, which framework
-- contracts are amended for all the time; nor end one early so that its successor may start
-- (contracts of a vendor may not overlap). amend_contract() changes the end date and the cap, and
-- refuses what would break what the contract already carries:
-- * a cap below what its orders use (net), as a budget may not be set below what is committed;
-- * an end before the start, or before the date of an order placed under it;
-- * an end that makes it overlap another contract of the vendor — the rule add_contract() asks,
--   now one function for both.
-- The change is recorded in the audit log by the contract's trigger, old → new.

CREATE FUNCTION contract_overlap_refusal(p_vendor text, p_from date, p_to date, p_except bigint) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    c contract;
BEGIN
    SELECT * INTO c FROM contract WHERE vendor = p_vendor AND valid_from <= p_to AND p_from <= valid_to AND id IS DISTINCT FROM p_except
    ORDER BY valid_from LIMIT 1;
    IF c.id IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.contract_overlap', format('contract %s of %s runs %s to %s, which overlaps', c.number, p_vendor, c.valid_from, c.valid_to),
                       jsonb_build_object('vendor', p_vendor, 'contract', c.number, 'from', c.valid_from, 'to', c.valid_to));
    END IF;
END
$$;
REVOKE ALL ON FUNCTION contract_overlap_refusal(text, date, date, bigint) FROM PUBLIC;

SELECT rewrite_function('add_contract(text, text, date, date, numeric, numeric)',
    $old$    SELECT * INTO c FROM contract WHERE vendor = p_vendor AND valid_from <= p_to AND p_from <= valid_to ORDER BY valid_from LIMIT 1;
    IF c.id IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.contract_overlap', format('contract %s of %s runs %s to %s, which overlaps', c.number, p_vendor, c.valid_from, c.valid_to),
                       jsonb_build_object('vendor', p_vendor, 'contract', c.number, 'from', c.valid_from, 'to', c.valid_to));
    END IF;
$old$, $new$    PERFORM contract_overlap_refusal(p_vendor, p_from, p_to, NULL);
$new$);

-- Amends a contract (admins): a new last day, a new cap, or both; nil leaves one as it is.
-- Returns the contract as it is now.
CREATE FUNCTION amend_contract(p_number text, p_to date, p_cap numeric) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    c contract;
    o purchase_order;
    v_to date;
    v_cap numeric;
BEGIN
    PERFORM require_admin();
    SELECT * INTO c FROM contract WHERE number = p_number;
    IF c.id IS NULL THEN
        PERFORM refuse('DW404', 'error.no_such_contract', format('no contract %s', left(p_number, 100)),
                       jsonb_build_object('contract', left(p_number, 100)));
    END IF;
    PERFORM 1 FROM vendor WHERE key = c.vendor FOR UPDATE;   -- one contract change of a vendor at a time, as add_contract
    SELECT * INTO c FROM contract WHERE id = c.id FOR UPDATE;
    v_to := checked_date('valid_to', coalesce(p_to, c.valid_to));
    v_cap := CASE WHEN p_cap IS NULL THEN c.cap ELSE checked_amount('cap', p_cap, false) END;
    IF v_to < c.valid_from THEN
        PERFORM refuse('DW422', 'error.contract_period', format('the contract ends (%s) before it starts (%s)', v_to, c.valid_from),
                       jsonb_build_object('from', c.valid_from, 'to', v_to));
    END IF;
    SELECT * INTO o FROM purchase_order WHERE contract_id = c.id AND order_date > v_to ORDER BY order_date DESC, number DESC LIMIT 1;
    IF o.number IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.contract_end_before_order',
                       format('order %s was placed under %s on %s: the contract cannot end before', o.number, c.number, o.order_date),
                       jsonb_build_object('contract', c.number, 'order', o.number, 'date', o.order_date, 'to', v_to));
    END IF;
    PERFORM contract_overlap_refusal(c.vendor, c.valid_from, v_to, c.id);
    IF v_cap < c.used THEN
        PERFORM refuse('DW422', 'error.cap_below_used', format('%s EUR is less than the %s EUR its orders use of contract %s', v_cap, c.used, c.number),
                       jsonb_build_object('cap', v_cap, 'used', c.used, 'contract', c.number));
    END IF;
    UPDATE contract SET valid_to = v_to, cap = v_cap WHERE id = c.id RETURNING * INTO c;
    RETURN jsonb_build_object('contract', c.number, 'vendor', c.vendor, 'valid_from', c.valid_from, 'valid_to', c.valid_to,
                              'cap', c.cap, 'used', c.used);
END
$$;
REVOKE ALL ON FUNCTION amend_contract(text, date, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION amend_contract(text, date, numeric) TO devworkflow_user;
