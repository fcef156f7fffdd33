-- What a new user found on 2026-12-05, in the rules of the database -------------------------------

-- A vendor's report and files list every order of the vendor, a warranty fix too --------------------
-- The report was read from the vendor's invitations. A warranty fix is ordered from the vendor of
-- the order it fixes without inviting anyone (0016), so a vendor who reads only its report never
-- heard of the defect or the fix's deadline, though `request list --vendor` and the calendar
-- feed showed it. The rows now come from the invitations and from the orders that had none.
-- Which requests are a vendor's, said once for the report's rows and its files: inlined by the
-- planner (one SELECT in SQL, STABLE), and read with the caller's rights, as the report is.
CREATE FUNCTION vendor_requests(p_vendor text) RETURNS TABLE (request_id text, vendor text, due date)
LANGUAGE sql STABLE AS $$
    SELECT v.request_id, v.vendor, v.due FROM workflow.invitation v WHERE v.vendor = p_vendor
    UNION ALL
    SELECT o.request_id, o.vendor, NULL::date FROM workflow.purchase_order o
    WHERE o.vendor = p_vendor
      AND NOT EXISTS (SELECT 1 FROM workflow.invitation v WHERE v.request_id = o.request_id AND v.vendor = o.vendor)
$$;
REVOKE ALL ON FUNCTION vendor_requests(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vendor_requests(text) TO devworkflow_user, devworkflow_daemon;

SELECT rewrite_function('vendor_report_query(text, date)',
    'FROM workflow.invitation i', 'FROM workflow.vendor_requests(p_vendor) i');
SELECT rewrite_function('vendor_report_files_query(text)',
    'FROM workflow.invitation i', 'FROM workflow.vendor_requests(p_vendor) i');

-- A vendor's history of its order goes on past the delivery ------------------------------------------
-- An event is shown to the vendor its inputs name (`audience` = that vendor). Accepting,
-- returning, releasing, holding and resuming name none (the order's vendor is implied), so their
-- events were written for nobody and a vendor's history of its own order stopped at its delivery,
-- though `request show` said Accepted and the vendor was mailed about each step. The history is
-- chained and append-only, so the events stay as written: a vendor now also reads the events of
-- the steps the definition addresses to the vendor (audience 'vendor') that name no vendor, when
-- the request's order is its own.
SELECT rewrite_function('request_events(text)',
    $old$(v_mine IS NULL OR e.audience = '*' OR e.audience = v_mine)$old$,
    $new$(v_mine IS NULL OR e.audience = '*' OR e.audience = v_mine
                    OR (e.audience IS NULL
                        AND e.transition IN (SELECT t.name FROM workflow_transition t WHERE t.definition = r.definition AND t.audience = 'vendor')
                        AND EXISTS (SELECT 1 FROM purchase_order o WHERE o.request_id = r.id AND o.vendor = v_mine)))$new$);

-- No mail to a person whose access is closed -----------------------------------------------------------
-- `person deactivate` closed the login but the person still received every notification and
-- reminder as a system's product owner, a requester, an admin or a vendor's user. A vendor whose
-- every user is deactivated is written to at the vendor's own address.
SELECT rewrite_function('recipients(text, text[], text[], text)',
    $old$AND p.role = 'product_owner';$old$, $new$AND p.role = 'product_owner' AND p.active;$new$);
SELECT rewrite_function('recipients(text, text[], text[], text)',
    $old$ON p.login = r.requester_login WHERE r.id = p_request COLLATE "default";$old$,
    $new$ON p.login = r.requester_login WHERE r.id = p_request COLLATE "default" AND p.active;$new$);
SELECT rewrite_function('recipients(text, text[], text[], text)',
    $old$FROM workflow.person p WHERE p.role = 'admin';$old$, $new$FROM workflow.person p WHERE p.role = 'admin' AND p.active;$new$);
SELECT rewrite_function('vendor_recipients(text[], text)',
    $old$FROM workflow.person x WHERE x.vendor = v.key)$old$, $new$FROM workflow.person x WHERE x.vendor = v.key AND x.active)$new$);

-- The acceptance act keeps the title and description that were accepted --------------------------------
-- Editing a request's title after its acceptance changed the act printed again, and so its digest.
-- The act now names the request as it stood when accepted: a field edited since reads as that
-- edit's old value (edit events keep the old and new text), else as it is.
CREATE FUNCTION field_as_accepted(r request, p_field text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT e.inputs -> p_field ->> 'old' FROM workflow.event e
         WHERE e.request_id = r.id AND e.transition = 'edit' AND e.inputs ? p_field
           AND e.seq > (SELECT max(a.seq) FROM workflow.event a WHERE a.request_id = r.id AND a.transition = 'accept')
         ORDER BY e.seq LIMIT 1),
        CASE p_field WHEN 'title' THEN r.title WHEN 'description' THEN r.description END)
$$;
REVOKE ALL ON FUNCTION field_as_accepted(request, text) FROM PUBLIC;

SELECT rewrite_function('order_act(text)',
    $old$'request', jsonb_build_object('id', r.id, 'title', r.title, 'summary', nullif(r.description, '')),$old$,
    $new$'request', jsonb_build_object('id', r.id, 'title', field_as_accepted(r, 'title'), 'summary', nullif(field_as_accepted(r, 'description'), '')),$new$);

-- How many decimals a penalty term may have, said as such ---------------------------------------------
-- set_contract_terms refused `--penalty-per-day 0.1234` as out of range ("must be 0 to 100, not
-- 0.1234"), so the command line began checking the decimals itself: the same rule in a second
-- place. The rule stays here, with its own words; the command line sends any number it can read.
SELECT rewrite_function('set_contract_terms(text, integer, integer, numeric, numeric)',
    $old$    IF p_penalty_per_day IS NOT NULL AND (p_penalty_per_day::text IN$old$,
    $new$    IF p_penalty_per_day <> round(p_penalty_per_day, 3) THEN
        PERFORM refuse('DW422', 'error.term_decimals', format('a penalty per day has at most 3 decimals, not %s', p_penalty_per_day),
                       jsonb_build_object('term', 'message:word.penalty_per_day', 'value', left(p_penalty_per_day::text, 40), 'places', 3));
    END IF;
    IF p_penalty_cap <> round(p_penalty_cap, 2) THEN
        PERFORM refuse('DW422', 'error.term_decimals', format('a penalty cap has at most 2 decimals, not %s', p_penalty_cap),
                       jsonb_build_object('term', 'message:word.penalty_cap', 'value', left(p_penalty_cap::text, 40), 'places', 2));
    END IF;
    IF p_penalty_per_day IS NOT NULL AND (p_penalty_per_day::text IN$new$);
