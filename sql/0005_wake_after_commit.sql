-- Waking workflowd after the commit instead of inside it.
--
-- pg_notify() in a transaction takes a cluster-wide lock at commit and holds it until the commit
-- record is on disk, so that notifications queue in commit order. Every move and proposal
-- notified, so every one of them committed alone: four connections moved requests no faster than
-- one (measured: a one-row insert with pg_notify ran 7 523 tps at 1 client and 7 646 at 4; without
-- it 8 422 and 17 109), and group commit never happened.
--
-- A session that sets devworkflow.wake_after_commit = on (the library does, in the startup packet)
-- promises to send the wake-up itself once its transaction has committed, in a transaction of its
-- own that writes nothing and so holds the lock for no flush. Other sessions (psql, a script) are
-- woken for as before. The wake-up was only ever a hint: workflowd also drains on its timer, so a
-- session that dies between its commit and its wake-up delays a message by one interval at most.
--
-- The two functions are 0002's, unchanged but for the condition on pg_notify.

CREATE OR REPLACE FUNCTION enqueue_notifications(p_event bigint, p_audiences text[] DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_count integer;
BEGIN
    WITH e AS (
        SELECT ev.*, r.system, r.title,
               coalesce(p_audiences, (SELECT t.notify FROM workflow_transition t
                                      WHERE t.name = ev.transition AND t.from_state = ev.from_state)) AS audiences,
               (SELECT name FROM person WHERE login = ev.actor) AS actor_name
        FROM event ev JOIN request r ON r.id = ev.request_id
        WHERE ev.id = p_event
    )
    INSERT INTO outbox (kind, request_id, event_id, transition, recipient, recipient_name, lang, payload, idempotency_key)
    SELECT 'notification', e.request_id, e.id, e.transition, d.email, d.name, d.lang,
           jsonb_build_object('request', e.request_id, 'system', e.system, 'title', e.title, 'transition', e.transition,
                              'from', e.from_state, 'to', e.to_state, 'actor', e.actor, 'actor_name', e.actor_name,
                              'at', e.at, 'version', e.seq, 'inputs', e.inputs - 'vendors'),
           'notification:' || e.id || ':' || lower(d.email)
    FROM e CROSS JOIN LATERAL recipients(e.request_id,
        array_replace(e.audiences, 'invited_vendors', 'vendors'),
        ARRAY(SELECT jsonb_array_elements_text(e.inputs -> 'vendors'))) d
    ON CONFLICT (idempotency_key) DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count > 0 AND current_setting('devworkflow.wake_after_commit', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('devworkflow_outbox', p_event::text);
    END IF;
    RETURN v_count;
END
$$;

CREATE OR REPLACE FUNCTION move(p_request text, p_transition text, p_expected_version integer, p_inputs jsonb)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_actor person;
    v_by text;
    v_req request;
    v_tr workflow_transition;
    v_inputs jsonb := coalesce(p_inputs, '{}'::jsonb);
    v_today date := (now() AT TIME ZONE 'Europe/Tallinn')::date;
    v_vendor text;
    v_allowed text;
    v_quote quote;
    v_contract contract;
    v_amount numeric;
    v_used numeric;
    v_number text;
    v_counter integer;
    v_due date;
    v_deadline date;
    v_priority integer;
    v_event bigint;
    v_audience text := '*';
    v_as text;
    v_may boolean;
BEGIN
    -- acting_person(), written out: this runs on every move. The checks below are written so that
    -- the common case is a plain expression, which PL/pgSQL evaluates without starting a query.
    v_by := session_user;
    SELECT * INTO v_actor FROM person p WHERE p.login = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'DW403',
            MESSAGE = format('login %s has no person record: an admin must add it with workflowctl person add', session_user),
            DETAIL = json_build_object('key', 'error.no_person')::text;
    END IF;
    v_as := current_setting('devworkflow.act_as', true);
    IF v_as IS NOT NULL AND v_as <> '' AND v_as <> v_actor.login THEN
        SELECT (a.person).* INTO v_actor FROM acting_person() a;
    END IF;

    SELECT * INTO v_req FROM request WHERE id = p_request FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'DW404', MESSAGE = format('no request %s', p_request),
            DETAIL = json_build_object('key', 'error.no_request', 'request', p_request)::text;
    END IF;
    IF v_actor.role = 'vendor' THEN
        -- A vendor's user must not learn that requests its vendor was not invited to exist.
        IF NOT EXISTS (SELECT 1 FROM invitation WHERE request_id = p_request AND vendor = v_actor.vendor) THEN
            RAISE EXCEPTION USING ERRCODE = 'DW404', MESSAGE = format('no request %s', p_request),
            DETAIL = json_build_object('key', 'error.no_request', 'request', p_request)::text;
        END IF;
    END IF;
    IF p_expected_version IS NOT NULL AND p_expected_version <> v_req.version THEN
        RAISE EXCEPTION USING ERRCODE = 'DW409',
            MESSAGE = format('%s changed since version %s (it is now version %s, %s): reload and retry',
                             v_req.id, p_expected_version, v_req.version, v_req.state),
            DETAIL = json_build_object('key', 'error.changed', 'request', v_req.id, 'expected', p_expected_version, 'version', v_req.version, 'state', 'state:' || v_req.state)::text;
    END IF;

    SELECT * INTO v_tr FROM workflow_transition WHERE name = p_transition AND from_state = v_req.state;
    IF NOT FOUND THEN
        SELECT coalesce(string_agg(name, ', ' ORDER BY name), 'none') INTO v_allowed
        FROM workflow_transition WHERE from_state = v_req.state;
        RAISE EXCEPTION USING ERRCODE = 'DW422',
            MESSAGE = format('%s is %s: ''%s'' is not possible now; allowed now: %s', v_req.id, v_req.state, p_transition, v_allowed),
            DETAIL = json_build_object('key', 'error.not_possible_now', 'request', v_req.id, 'state', 'state:' || v_req.state, 'transition', 'transition:' || p_transition, 'allowed', 'transitions:' || v_allowed)::text;
    END IF;

    -- Who may: an admin, a product owner of the system, the invited vendor (checked above), the
    -- ordered vendor, as the transition names them.
    IF v_actor.role = 'admin' THEN
        v_may := 'admin' = ANY (v_tr.actors);
    ELSIF v_actor.role = 'product_owner' THEN
        v_may := 'system_owner' = ANY (v_tr.actors)
                 AND EXISTS (SELECT 1 FROM person_system WHERE login = v_actor.login AND system = v_req.system);
    ELSIF v_actor.role = 'vendor' THEN
        v_may := 'invited_vendor' = ANY (v_tr.actors)
                 OR ('ordered_vendor' = ANY (v_tr.actors)
                     AND EXISTS (SELECT 1 FROM purchase_order WHERE request_id = v_req.id AND vendor = v_actor.vendor));
    ELSE
        v_may := false;
    END IF;
    IF NOT v_may THEN
        RAISE EXCEPTION USING ERRCODE = 'DW403',
            MESSAGE = format('%s (%s) may not %s %s', v_actor.login, v_actor.role, p_transition, v_req.id),
            DETAIL = json_build_object('key', 'error.may_not_plain', 'login', v_actor.login, 'role', v_actor.role, 'transition', 'transition:' || p_transition, 'request', v_req.id)::text;
    END IF;

    CASE v_tr.effect
    WHEN 'none' THEN
        NULL;
    WHEN 'prioritise' THEN
        v_priority := (v_inputs ->> 'priority')::integer;
        IF v_priority IS NULL OR v_priority NOT BETWEEN 1 AND 5 THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'priority must be 1 to 5',
            DETAIL = json_build_object('key', 'error.priority_range', 'priority', coalesce(v_inputs ->> 'priority', '?'))::text;
        END IF;
        UPDATE request SET priority = v_priority WHERE id = v_req.id;
    WHEN 'invite' THEN
        v_due := (v_inputs ->> 'due')::date;
        IF v_due IS NULL OR v_due < v_today THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'a quote request needs a due date, today or later',
            DETAIL = json_build_object('key', 'error.due_needed')::text;
        END IF;
        IF jsonb_array_length(coalesce(v_inputs -> 'vendors', '[]'::jsonb)) = 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'a quote request needs at least one vendor',
            DETAIL = json_build_object('key', 'error.vendors_needed')::text;
        END IF;
        FOR v_vendor IN SELECT jsonb_array_elements_text(v_inputs -> 'vendors') LOOP
            IF NOT EXISTS (SELECT 1 FROM vendor WHERE key = v_vendor) THEN
                RAISE EXCEPTION USING ERRCODE = 'DW404', MESSAGE = format('no vendor %s', v_vendor),
            DETAIL = json_build_object('key', 'error.no_vendor', 'vendor', v_vendor)::text;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM contract WHERE vendor = v_vendor AND v_today BETWEEN valid_from AND valid_to) THEN
                RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = format('vendor %s has no contract valid on %s', v_vendor, v_today),
            DETAIL = json_build_object('key', 'error.no_contract', 'vendor', v_vendor, 'today', v_today)::text;
            END IF;
            INSERT INTO invitation (request_id, vendor, due) VALUES (v_req.id, v_vendor, v_due)
            ON CONFLICT (request_id, vendor) DO UPDATE SET due = EXCLUDED.due;
        END LOOP;
        UPDATE request SET quote_due = v_due WHERE id = v_req.id;
        v_audience := NULL;
    WHEN 'quote' THEN
        v_vendor := CASE WHEN v_actor.role = 'vendor' THEN v_actor.vendor ELSE v_inputs ->> 'vendor' END;
        IF v_actor.role = 'vendor' AND (v_inputs ->> 'vendor') IS DISTINCT FROM v_actor.vendor AND (v_inputs ->> 'vendor') IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'DW403', MESSAGE = format('%s may not quote for vendor %s', v_actor.login, v_inputs ->> 'vendor'),
            DETAIL = json_build_object('key', 'error.other_vendor', 'login', v_actor.login, 'vendor', v_actor.vendor, 'named', v_inputs ->> 'vendor')::text;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM invitation WHERE request_id = v_req.id AND vendor = v_vendor) THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = format('vendor %s was not invited to quote for %s', v_vendor, v_req.id),
            DETAIL = json_build_object('key', 'error.not_invited', 'vendor', v_vendor, 'request', v_req.id)::text;
        END IF;
        IF (v_inputs ->> 'delivery')::date < v_today THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'the delivery date is in the past',
            DETAIL = json_build_object('key', 'error.delivery_past')::text;
        END IF;
        INSERT INTO quote (request_id, vendor, hours, price, delivery, quoted_by)
        VALUES (v_req.id, v_vendor, (v_inputs ->> 'hours')::numeric, (v_inputs ->> 'price')::numeric,
                (v_inputs ->> 'delivery')::date, v_actor.login)
        ON CONFLICT (request_id, vendor) DO UPDATE
            SET hours = EXCLUDED.hours, price = EXCLUDED.price, delivery = EXCLUDED.delivery,
                quoted_at = now(), quoted_by = EXCLUDED.quoted_by;
        v_inputs := v_inputs || jsonb_build_object('vendor', v_vendor);
        v_audience := v_vendor;
    WHEN 'order' THEN
        v_vendor := v_inputs ->> 'vendor';
        SELECT * INTO v_quote FROM quote WHERE request_id = v_req.id AND vendor = v_vendor;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = format('vendor %s has not quoted for %s', v_vendor, v_req.id),
            DETAIL = json_build_object('key', 'error.not_quoted', 'vendor', v_vendor, 'request', v_req.id)::text;
        END IF;
        -- The budget row first, then the contract: every order locks in this order.
        SELECT amount INTO v_amount FROM budget
        WHERE system = v_req.system AND year = extract(year FROM v_today)::integer FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422',
                MESSAGE = format('%s has no budget for %s', v_req.system, extract(year FROM v_today)),
            DETAIL = json_build_object('key', 'error.no_budget', 'system', v_req.system, 'year', extract(year FROM v_today))::text;
        END IF;
        SELECT coalesce(sum(o.price), 0) INTO v_used
        FROM purchase_order o JOIN request r ON r.id = o.request_id
        WHERE r.system = v_req.system AND extract(year FROM o.order_date) = extract(year FROM v_today) AND o.cancelled_at IS NULL;
        IF v_quote.price > v_amount - v_used THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422',
                MESSAGE = format('price %s EUR exceeds the budget left for %s in %s (%s of %s EUR)',
                                 v_quote.price, v_req.system, extract(year FROM v_today), v_amount - v_used, v_amount),
            DETAIL = json_build_object('key', 'error.over_budget', 'price', v_quote.price, 'system', v_req.system, 'year', extract(year FROM v_today), 'left', v_amount - v_used, 'amount', v_amount)::text;
        END IF;
        FOR v_contract IN
            SELECT * FROM contract WHERE vendor = v_vendor AND v_today BETWEEN valid_from AND valid_to ORDER BY valid_to, id FOR UPDATE
        LOOP
            SELECT coalesce(sum(price), 0) INTO v_used FROM purchase_order WHERE contract_id = v_contract.id AND cancelled_at IS NULL;
            EXIT WHEN v_quote.price <= v_contract.cap - v_used;
            v_contract := NULL;
        END LOOP;
        IF v_contract.id IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422',
                MESSAGE = format('vendor %s has no contract valid on %s with %s EUR of its cap left', v_vendor, v_today, v_quote.price),
            DETAIL = json_build_object('key', 'error.no_cap_left', 'vendor', v_vendor, 'today', v_today, 'price', v_quote.price)::text;
        END IF;
        v_deadline := coalesce((v_inputs ->> 'deadline')::date, v_quote.delivery);
        IF v_deadline < v_today THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'the deadline is in the past',
            DETAIL = json_build_object('key', 'error.deadline_past')::text;
        END IF;
        INSERT INTO order_counter (year, last) VALUES (extract(year FROM v_today)::integer, 1)
        ON CONFLICT (year) DO UPDATE SET last = order_counter.last + 1
        RETURNING last INTO v_counter;
        v_number := format('ORD-%s-%s', extract(year FROM v_today)::integer, lpad(v_counter::text, 4, '0'));
        INSERT INTO purchase_order (number, request_id, vendor, contract_id, price, order_date, deadline)
        VALUES (v_number, v_req.id, v_vendor, v_contract.id, v_quote.price, v_today, v_deadline);
        v_inputs := v_inputs || jsonb_build_object('order', v_number, 'price', v_quote.price, 'contract', v_contract.number,
                                                   'deadline', v_deadline);
        v_audience := v_vendor;
    WHEN 'deliver' THEN
        IF coalesce(btrim(v_inputs ->> 'note'), '') = '' THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'a delivery needs a note',
            DETAIL = json_build_object('key', 'error.note_needed')::text;
        END IF;
        UPDATE purchase_order SET delivered_at = now(), delivery_note = v_inputs ->> 'note' WHERE request_id = v_req.id;
    WHEN 'accept' THEN
        UPDATE purchase_order SET accepted_at = now() WHERE request_id = v_req.id;
    WHEN 'return' THEN
        IF coalesce(btrim(v_inputs ->> 'reason'), '') = '' THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'a return needs a reason',
            DETAIL = json_build_object('key', 'error.reason_needed')::text;
        END IF;
        v_deadline := (v_inputs ->> 'deadline')::date;
        IF v_deadline < v_today THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'the deadline is in the past',
            DETAIL = json_build_object('key', 'error.deadline_past')::text;
        END IF;
        -- Not delivered any more: the order waits for a new delivery (and its deadline reminders apply again).
        UPDATE purchase_order SET returns = returns + 1, deadline = coalesce(v_deadline, deadline), delivered_at = NULL
        WHERE request_id = v_req.id;
    WHEN 'release' THEN
        IF coalesce(btrim(v_inputs ->> 'version_name'), '') = '' THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'a release needs a version name',
            DETAIL = json_build_object('key', 'error.version_name_needed')::text;
        END IF;
        UPDATE purchase_order SET released_at = now(), release_version = v_inputs ->> 'version_name' WHERE request_id = v_req.id;
    WHEN 'close' THEN
        IF coalesce(btrim(v_inputs ->> 'reason'), '') = '' THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = format('%s needs a reason', p_transition),
            DETAIL = json_build_object('key', 'error.transition_needs_reason', 'transition', 'transition:' || p_transition)::text;
        END IF;
        UPDATE purchase_order SET cancelled_at = now() WHERE request_id = v_req.id;
    END CASE;

    WITH moved AS (
        UPDATE request SET state = v_tr.to_state, version = v_req.version + 1, state_since = now() WHERE id = v_req.id
        RETURNING id, version
    )
    INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, inputs, audience)
    SELECT moved.id, moved.version, p_transition, v_req.state, v_tr.to_state, v_actor.login, v_by, v_inputs, v_audience FROM moved
    RETURNING id INTO v_event;

    -- The notifications this step causes, in its own transaction (enqueue_notifications, written
    -- out with what this function already knows: a quarter of a move's time otherwise).
    IF cardinality(v_tr.notify) > 0 THEN
        INSERT INTO outbox (kind, request_id, event_id, transition, recipient, recipient_name, lang, payload, idempotency_key)
        SELECT 'notification', v_req.id, v_event, p_transition, d.email, d.name, d.lang,
               jsonb_build_object('request', v_req.id, 'system', v_req.system, 'title', v_req.title, 'transition', p_transition,
                                  'from', v_req.state, 'to', v_tr.to_state, 'actor', v_actor.login, 'actor_name', v_actor.name,
                                  'at', now(), 'version', v_req.version + 1, 'inputs', v_inputs - 'vendors'),
               'notification:' || v_event || ':' || lower(d.email)
        FROM recipients(v_req.id, array_replace(v_tr.notify, 'invited_vendors', 'vendors'),
                        ARRAY(SELECT jsonb_array_elements_text(v_inputs -> 'vendors'))) d
        ON CONFLICT (idempotency_key) DO NOTHING;
        IF FOUND AND current_setting('devworkflow.wake_after_commit', true) IS DISTINCT FROM 'on' THEN
            PERFORM pg_notify('devworkflow_outbox', v_event::text);
        END IF;
    END IF;

    RETURN jsonb_build_object('request', v_req.id, 'version', v_req.version + 1, 'state', v_tr.to_state,
                              'from', v_req.state, 'event', v_event, 'order', v_number);
END
$$;
