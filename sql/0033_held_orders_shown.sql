-- An order the buyer holds is shown as held, and is not late while it is held ----------------------
-- PRODUCT.md: a hold stops an order's clock while the buyer is the one holding it up. The
-- reminders stopped (workflowd skips a held order), but everything a person reads still called it
-- late: `request list --overdue` and the status report's overdue section listed it, the vendor's
-- report told the vendor "past its deadline: deliver it" about work the buyer had paused, and
-- neither `request list` nor the vendor's report said that the order was held at all.

-- Whether an order is late on a day, said once: its deadline passed and its clock runs (a held
-- order's clock stands). Inlined by the planner where it is called (one SQL expression).
CREATE FUNCTION order_late(o purchase_order, p_on date) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT o.deadline < p_on AND o.held_since IS NULL
$$;
REVOKE ALL ON FUNCTION order_late(purchase_order, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION order_late(purchase_order, date) TO devworkflow_user, devworkflow_daemon;

-- rewrite_function() (0022) keeps a function's signature. A function that returns one column
-- more must be dropped and made again, which loses its grants: redefine_function() applies each
-- change (each old text exactly once, in order), makes the function again and grants EXECUTE to
-- whoever had it.
CREATE FUNCTION redefine_function(p_function regprocedure, p_old text[], p_new text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_definition text := pg_get_functiondef(p_function);
    v_signature text := p_function::text;
    v_grantees text[];
    v_grantee text;
    v_count integer;
BEGIN
    IF cardinality(p_old) IS DISTINCT FROM cardinality(p_new) THEN
        RAISE EXCEPTION '% changes and % replacements', cardinality(p_old), cardinality(p_new);
    END IF;
    FOR k IN 1 .. cardinality(p_old) LOOP
        v_count := (length(v_definition) - length(replace(v_definition, p_old[k], ''))) / length(p_old[k]);
        IF v_count <> 1 THEN
            RAISE EXCEPTION '% holds % % times, not once', p_function, p_old[k], v_count;
        END IF;
        v_definition := replace(v_definition, p_old[k], p_new[k]);
    END LOOP;
    SELECT array_agg(CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END)
    INTO v_grantees
    FROM pg_proc p CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x
    WHERE p.oid = p_function AND x.privilege_type = 'EXECUTE' AND x.grantee <> p.proowner;
    EXECUTE format('DROP FUNCTION %s', v_signature);
    EXECUTE v_definition;
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_signature);
    FOREACH v_grantee IN ARRAY coalesce(v_grantees, '{}') LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %s', v_signature, v_grantee);
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION redefine_function(regprocedure, text[], text[]) FROM PUBLIC;

-- `request list` and `request show`'s row: since when the order is held (for a vendor, only its
-- own order's); `--overdue` leaves held orders out.
SELECT redefine_function('request_list(text[], text, text, date, boolean, text, text, integer, integer)',
    ARRAY['created_at timestamp with time zone, total bigint)',
          'x.state_since, x.created_at, count(*) OVER ()',
          'r.quote_due, r.state_since, r.created_at,',
          $old$(r.state = 'ordered' AND o.deadline < p_overdue_on)$old$],
    ARRAY['created_at timestamp with time zone, held_since timestamp with time zone, total bigint)',
          'x.state_since, x.created_at, x.held_since, count(*) OVER ()',
          $new$r.quote_due, r.state_since, r.created_at,
               CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.held_since END AS held_since,$new$,
          $new$(r.state = 'ordered' AND order_late(o, p_overdue_on))$new$]);
SELECT redefine_function('request_row(text)',
    ARRAY['created_at timestamp with time zone)', 'r.state_since, r.created_at'],
    ARRAY['created_at timestamp with time zone, held_since timestamp with time zone)', 'r.state_since, r.created_at, o.held_since']);

-- The vendor's report: a column for the day the order was held, after its days late.
SELECT redefine_function('vendor_report_query(text, date)',
    ARRAY['days_late integer, delivered_on date', 'p_today END) - o.deadline) END,'],
    ARRAY['days_late integer, on_hold_since date, delivered_on date',
          $new$p_today END) - o.deadline) END,
           (o.held_since AT TIME ZONE 'Europe/Tallinn')::date,$new$]);
SELECT redefine_function('vendor_report_rows(text, date)',
    ARRAY['days_late integer, delivered_on date'], ARRAY['days_late integer, on_hold_since date, delivered_on date']);
