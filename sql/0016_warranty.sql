-- Warranty claims on their own road, holds, and late-delivery penalties (issue 19).
--
-- A contract may carry warranty and penalty terms; an order keeps the terms it was placed under.
-- A warranty claim is a request on a second definition ('warranty') of the same engine: its steps
-- are guards and effects like any other, most of them the small development road's own. Holding
-- an order (the buyer stops the clock) and resuming it are transitions of both roads. What a late
-- order costs is one function of the order's history and its terms (penalty_figures), so the
-- vendor's report and the buyer's agree to the cent.
--
-- Numbered 0016: 0010 was reserved for this issue, but 0011 and 0012 are applied on databases in
-- use already, and a migration must come after those whose functions it builds on.

-- Terms ----------------------------------------------------------------------------------------------
-- warranty_months: 0 no warranty; fix_days: business days to fix a defect under warranty;
-- penalty_per_day: percent of the order's net price per calendar day late, 0 none; penalty_cap:
-- percent of the net price a penalty may reach at most (none: no cap).

ALTER TABLE contract ADD COLUMN warranty_months integer, ADD COLUMN fix_days integer,
    ADD COLUMN penalty_per_day numeric(6,3), ADD COLUMN penalty_cap numeric(5,2),
    ADD CONSTRAINT contract_terms_range CHECK (warranty_months BETWEEN 0 AND 240 AND fix_days BETWEEN 1 AND 250
                                               AND penalty_per_day BETWEEN 0 AND 100 AND penalty_cap > 0 AND penalty_cap <= 100);

ALTER TABLE purchase_order ADD COLUMN warranty_months integer, ADD COLUMN fix_days integer,
    ADD COLUMN penalty_per_day numeric(6,3), ADD COLUMN penalty_cap numeric(5,2),
    -- Since when the buyer holds the order's clock (NULL: it runs).
    ADD COLUMN held_since timestamptz;

-- A warranty fix is ordered at no cost: an order's price may be 0 (a quote's may not).
ALTER TABLE purchase_order DROP CONSTRAINT order_ranges,
    ADD CONSTRAINT order_ranges CHECK (price >= 0 AND price <= 999999999999.99
                                       AND order_date BETWEEN '2000-01-01' AND '2100-12-31'
                                       AND deadline BETWEEN '2000-01-01' AND '2100-12-31') NOT VALID;

-- The claim names the order it is a claim on; the original's request lists its claims through it.
ALTER TABLE request ADD COLUMN warranty_of text REFERENCES purchase_order (number);
CREATE INDEX request_warranty_of_idx ON request (warranty_of) WHERE warranty_of IS NOT NULL;

-- An order keeps the terms it was placed under: its contract's on the order date, and a warranty
-- fix those of the order it fixes. The one place an order's terms are decided, whatever writes it.
CREATE FUNCTION order_terms_kept() RETURNS trigger
LANGUAGE plpgsql SET search_path = workflow, pg_temp AS $$
DECLARE
    v_of text := (SELECT r.warranty_of FROM workflow.request r WHERE r.id = NEW.request_id);
BEGIN
    IF v_of IS NOT NULL THEN
        SELECT o.warranty_months, o.fix_days, o.penalty_per_day, o.penalty_cap
        INTO NEW.warranty_months, NEW.fix_days, NEW.penalty_per_day, NEW.penalty_cap
        FROM workflow.purchase_order o WHERE o.number = v_of;
    ELSE
        SELECT c.warranty_months, c.fix_days, c.penalty_per_day, c.penalty_cap
        INTO NEW.warranty_months, NEW.fix_days, NEW.penalty_per_day, NEW.penalty_cap
        FROM workflow.contract c WHERE c.id = NEW.contract_id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER purchase_order_terms BEFORE INSERT ON purchase_order FOR EACH ROW EXECUTE FUNCTION order_terms_kept();

-- Sets a contract's terms (admin; audited by 0008's contract trigger). A NULL leaves a term as it
-- is; orders already placed keep theirs. Returns the terms the contract has now.
CREATE FUNCTION set_contract_terms(p_number text, p_warranty_months integer DEFAULT NULL, p_fix_days integer DEFAULT NULL,
                                   p_penalty_per_day numeric DEFAULT NULL, p_penalty_cap numeric DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_terms jsonb;
BEGIN
    PERFORM require_admin();
    IF p_warranty_months NOT BETWEEN 0 AND 240 THEN
        PERFORM refuse('DW422', 'error.term_range', format('warranty months must be 0 to 240, not %s', p_warranty_months),
                       jsonb_build_object('term', 'message:word.warranty_months', 'value', p_warranty_months, 'low', 0, 'high', 240));
    END IF;
    IF p_fix_days NOT BETWEEN 1 AND 250 THEN
        PERFORM refuse('DW422', 'error.term_range', format('fix days must be 1 to 250, not %s', p_fix_days),
                       jsonb_build_object('term', 'message:word.fix_days', 'value', p_fix_days, 'low', 1, 'high', 250));
    END IF;
    IF p_penalty_per_day IS NOT NULL AND (p_penalty_per_day::text IN ('NaN', 'Infinity', '-Infinity') OR p_penalty_per_day NOT BETWEEN 0 AND 100
                                          OR p_penalty_per_day <> round(p_penalty_per_day, 3)) THEN
        PERFORM refuse('DW422', 'error.term_range', format('a penalty per day must be 0 to 100 percent with at most 3 decimals, not %s', p_penalty_per_day),
                       jsonb_build_object('term', 'message:word.penalty_per_day', 'value', left(p_penalty_per_day::text, 40), 'low', 0, 'high', 100));
    END IF;
    IF p_penalty_cap IS NOT NULL AND (p_penalty_cap::text IN ('NaN', 'Infinity', '-Infinity') OR p_penalty_cap <= 0 OR p_penalty_cap > 100
                                      OR p_penalty_cap <> round(p_penalty_cap, 2)) THEN
        PERFORM refuse('DW422', 'error.term_range', format('a penalty cap must be more than 0 and at most 100 percent with at most 2 decimals, not %s', p_penalty_cap),
                       jsonb_build_object('term', 'message:word.penalty_cap', 'value', left(p_penalty_cap::text, 40), 'low', 0.01, 'high', 100));
    END IF;
    UPDATE contract SET warranty_months = coalesce(p_warranty_months, warranty_months), fix_days = coalesce(p_fix_days, fix_days),
                        penalty_per_day = coalesce(p_penalty_per_day, penalty_per_day), penalty_cap = coalesce(p_penalty_cap, penalty_cap)
    WHERE number = p_number
    RETURNING jsonb_build_object('warranty_months', warranty_months, 'fix_days', fix_days, 'penalty_per_day', penalty_per_day,
                                 'penalty_cap', penalty_cap) INTO v_terms;
    IF v_terms IS NULL THEN
        PERFORM refuse('DW404', 'error.no_such_contract', format('no contract %s', left(p_number, 100)), jsonb_build_object('contract', left(p_number, 100)));
    END IF;
    RETURN v_terms;
END
$$;

-- The last day a warranty of p_months covers from an acceptance: the acceptance's date in Tallinn
-- plus the months. The one place of that arithmetic: IMMUTABLE, so that 0017 indexes it and the
-- daemon's warranty_ending reminder finds its orders through that index with the same call.
CREATE FUNCTION warranty_last_day(p_accepted_at timestamptz, p_months integer) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT ((p_accepted_at AT TIME ZONE 'Europe/Tallinn')::date + make_interval(months => p_months))::date
$$;

-- The last day an order's warranty covers. NULL: no warranty, not accepted yet, or cancelled.
CREATE FUNCTION warranty_end(o purchase_order) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN o.warranty_months > 0 AND o.accepted_at IS NOT NULL AND o.cancelled_at IS NULL
                THEN workflow.warranty_last_day(o.accepted_at, o.warranty_months) END
$$;

-- The warranty road -----------------------------------------------------------------------------------

-- The original order of a claim: its vendor and contract, at no cost (the VAT guard then finds 0).
CREATE FUNCTION step_warranty_vendor(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT jsonb_build_object('vendor', o.vendor, 'contract', c.number, 'price', 0, 'warranty_of', o.number)
    FROM workflow.purchase_order o JOIN workflow.contract c ON c.id = o.contract_id WHERE o.number = r.warranty_of
$$;

-- A fix is due fix_days business days from its order, unless the product owner gives a date.
CREATE FUNCTION step_fix_deadline_default(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_days integer := (SELECT fix_days FROM workflow.purchase_order WHERE number = r.warranty_of);
BEGIN
    IF i ? 'deadline' THEN
        RETURN NULL;
    END IF;
    IF v_days IS NULL THEN
        PERFORM refuse('DW400', 'error.fix_deadline_needed', format('order %s has no fix days in its terms: give the deadline', r.warranty_of),
                       jsonb_build_object('order', r.warranty_of));
    END IF;
    RETURN jsonb_build_object('deadline', add_business_days(d, v_days));
END
$$;

-- Holding the clock: only a running order may be held, only a held one resumed. Both concern the
-- ordered vendor, who reads them.
CREATE FUNCTION step_not_held(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_since timestamptz;
    v_vendor text;
BEGIN
    SELECT held_since, vendor INTO v_since, v_vendor FROM workflow.purchase_order WHERE request_id = r.id;
    IF v_since IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.already_held', format('%s is on hold since %s: resume it first', r.id, v_since),
                       jsonb_build_object('request', r.id, 'since', (v_since AT TIME ZONE 'Europe/Tallinn')::date));
    END IF;
    RETURN jsonb_build_object('vendor', v_vendor);
END
$$;

CREATE FUNCTION step_on_hold(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_since timestamptz;
    v_vendor text;
BEGIN
    SELECT held_since, vendor INTO v_since, v_vendor FROM workflow.purchase_order WHERE request_id = r.id;
    IF v_since IS NULL THEN
        PERFORM refuse('DW422', 'error.not_held', format('%s is not on hold', r.id), jsonb_build_object('request', r.id));
    END IF;
    RETURN jsonb_build_object('vendor', v_vendor);
END
$$;

CREATE FUNCTION step_record_hold(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE workflow.purchase_order SET held_since = now() WHERE request_id = r.id;
    RETURN NULL;
END
$$;

-- Resuming, or delivering while held: the clock runs again.
CREATE FUNCTION step_end_hold(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE workflow.purchase_order SET held_since = NULL WHERE request_id = r.id AND held_since IS NOT NULL;
    RETURN NULL;
END
$$;

INSERT INTO workflow_step (name, kind, refusals) VALUES
    ('warranty_vendor', 'guard', '{}'),
    ('fix_deadline_default', 'guard', ARRAY['error.fix_deadline_needed']),
    ('not_held', 'guard', ARRAY['error.already_held']),
    ('on_hold', 'guard', ARRAY['error.not_held']),
    ('record_hold', 'effect', '{}'),
    ('end_hold', 'effect', '{}');

-- Both roads: hold and resume an ordered request; a delivery ends a hold.
INSERT INTO workflow_transition (definition, name, from_state, to_state, position, actors, required, optional, guards, effects, notify, audience)
VALUES
    ('small_development', 'hold', 'ordered', 'ordered', 12, ARRAY['system_owner', 'admin'], ARRAY['reason'], '{}',
     ARRAY['not_held'], ARRAY['record_hold'], ARRAY['ordered_vendor'], 'vendor'),
    ('small_development', 'resume', 'ordered', 'ordered', 13, ARRAY['system_owner', 'admin'], '{}', '{}',
     ARRAY['on_hold'], ARRAY['end_hold'], ARRAY['ordered_vendor'], 'vendor');
UPDATE workflow_transition SET effects = effects || ARRAY['end_hold'] WHERE definition = 'small_development' AND name = 'deliver';

-- PRODUCT.md's warranty road: proposed → ordered → delivered → accepted → released, reject and
-- return, no quoting. Ordering names no vendor and costs nothing; the rest are the small
-- development road's own steps.
INSERT INTO workflow_definition (name, start_state) VALUES ('warranty', 'proposed');
INSERT INTO workflow_state (definition, name, is_final, position)
SELECT 'warranty', name, is_final, position FROM (VALUES
    ('proposed', false, 1), ('ordered', false, 2), ('delivered', false, 3), ('accepted', false, 4), ('released', true, 5),
    ('rejected', true, 6), ('cancelled', true, 7)) AS s(name, is_final, position);

INSERT INTO workflow_transition (definition, name, from_state, to_state, position, actors, required, optional, guards, effects, notify, audience)
SELECT 'warranty', t.name, f.from_state, coalesce(t.to_state, f.from_state), t.position, t.actors, t.required, t.optional,
       t.guards, t.effects, t.notify, t.audience
FROM (VALUES
    ('order', ARRAY['proposed'], 'ordered', 1, ARRAY['system_owner', 'admin'], '{}'::text[], ARRAY['deadline'],
        ARRAY['warranty_vendor', 'order_vat', 'fix_deadline_default'], ARRAY['place_order'], ARRAY['ordered_vendor'], 'vendor'),
    ('reject', ARRAY['proposed'], 'rejected', 2, ARRAY['system_owner', 'admin'], ARRAY['reason'], '{}',
        '{}', '{}', ARRAY['requester'], 'all'),
    ('hold', ARRAY['ordered'], NULL, 3, ARRAY['system_owner', 'admin'], ARRAY['reason'], '{}',
        ARRAY['not_held'], ARRAY['record_hold'], ARRAY['ordered_vendor'], 'vendor'),
    ('resume', ARRAY['ordered'], NULL, 4, ARRAY['system_owner', 'admin'], '{}', '{}',
        ARRAY['on_hold'], ARRAY['end_hold'], ARRAY['ordered_vendor'], 'vendor'),
    ('deliver', ARRAY['ordered'], 'delivered', 5, ARRAY['ordered_vendor', 'system_owner', 'admin'], ARRAY['note'], ARRAY['vendor'],
        ARRAY['delivering_vendor'], ARRAY['record_delivery', 'end_hold'], ARRAY['system_owners'], 'vendor'),
    ('accept', ARRAY['delivered'], 'accepted', 6, ARRAY['system_owner', 'admin'], '{}', '{}',
        '{}', ARRAY['record_acceptance'], ARRAY['ordered_vendor'], 'vendor'),
    ('return', ARRAY['delivered'], 'ordered', 7, ARRAY['system_owner', 'admin'], ARRAY['reason'], ARRAY['deadline'],
        '{}', ARRAY['record_return'], ARRAY['ordered_vendor'], 'vendor'),
    ('release', ARRAY['accepted'], 'released', 8, ARRAY['system_owner', 'admin'], ARRAY['version_name'], '{}',
        '{}', ARRAY['record_release'], ARRAY['system_owners', 'requester'], 'vendor'),
    ('cancel', ARRAY['proposed', 'ordered', 'delivered', 'accepted'], 'cancelled', 9,
        ARRAY['system_owner', 'admin'], ARRAY['reason'], '{}', '{}', ARRAY['cancel_order'], ARRAY['requester', 'ordered_vendor'], 'all')
) AS t(name, from_states, to_state, position, actors, required, optional, guards, effects, notify, audience)
CROSS JOIN LATERAL unnest(t.from_states) AS f(from_state);

DO $$ BEGIN PERFORM check_definition('small_development'); PERFORM check_definition('warranty'); END $$;

-- Calling steps by name, without parsing on every move ---------------------------------------------
-- 0006's run_step() names its own migration's steps and hands every later one to run_added_step(),
-- whose EXECUTE is parsed and planned on each call: a step added later (order_vat, end_hold) cost a
-- move some 45 µs. run_step() is now written from workflow_step: every step a direct call. A
-- migration that adds steps calls compile_run_step() after inserting their rows; run_added_step()
-- stays the way to a step added without it.
CREATE FUNCTION compile_run_step() RETURNS void
LANGUAGE plpgsql AS $compile$
DECLARE
    v_cases text;
BEGIN
    SELECT string_agg(format('    WHEN %L THEN RETURN workflow.%I(r, a, i, d);', name, 'step_' || name), E'\n' ORDER BY name)
    INTO v_cases FROM workflow.workflow_step;
    EXECUTE format($run$
CREATE OR REPLACE FUNCTION workflow.run_step(p_step text, r workflow.request, a workflow.person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $body$
BEGIN
    -- Written by compile_run_step() from workflow_step.
    CASE p_step
%s
    ELSE
        RETURN workflow.run_added_step(p_step, r, a, i, d);
    END CASE;
END
$body$
$run$, v_cases);
END
$compile$;
DO $$ BEGIN PERFORM compile_run_step(); END $$;

-- Opening a claim ---------------------------------------------------------------------------------------
-- Proposing on the warranty road: whoever may propose in the order's system, while the order's
-- warranty runs (from its acceptance, for the months its terms give). 0006's new_request wrote
-- the small development road only; it now takes the definition and the order a claim is on.

DROP FUNCTION new_request(text, text, text, text, person);
CREATE FUNCTION new_request(p_system text, p_title text, p_description text, p_requester text, a person,
                            p_definition text DEFAULT 'small_development', p_warranty_of text DEFAULT NULL) RETURNS request
LANGUAGE plpgsql AS $$
DECLARE
    r request;
    v_requester text := coalesce(nullif(btrim(checked_text('requester', p_requester, 200, false)), ''), a.login);
BEGIN
    INSERT INTO request (id, system, number, title, description, requester, requester_login, created_by, state, version, definition, warranty_of)
    SELECT p_system || '-' || n, p_system, n, checked_text('title', p_title, 300, true),
           coalesce(checked_text('description', p_description, 20000, false), ''), v_requester,
           -- The requester hears of the request: only a person who is not a vendor's user.
           (SELECT login FROM person WHERE (login = v_requester OR lower(email) = lower(v_requester)) AND role <> 'vendor'
            ORDER BY login = v_requester DESC LIMIT 1),
           a.login, (SELECT start_state FROM workflow_definition WHERE name = p_definition), 1, p_definition, p_warranty_of
    FROM (SELECT coalesce(max(number), 0) + 1 AS n FROM request WHERE system = p_system) m
    RETURNING * INTO r;
    INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, at, inputs, audience)
    VALUES (r.id, 1, 'propose', NULL, r.state, a.login, session_user, r.created_at,
            jsonb_strip_nulls(jsonb_build_object('title', r.title, 'warranty_of', p_warranty_of)), '*');
    RETURN r;
END
$$;

CREATE FUNCTION open_warranty_claim(p_order text, p_title text, p_description text DEFAULT '', p_requester text DEFAULT NULL)
RETURNS TABLE (id text, version integer, warranty_of text, warranty_end date)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    o purchase_order;
    v_system text;
    v_definition text;
    v_contract text;
    v_end date;
    v_today date := (now() AT TIME ZONE 'Europe/Tallinn')::date;
    a person := actor();
    r request;
BEGIN
    SELECT * INTO o FROM purchase_order WHERE number = upper(btrim(p_order));
    SELECT x.system, x.definition INTO v_system, v_definition FROM request x WHERE x.id = o.request_id;
    IF o.number IS NULL OR a.role = 'vendor' AND NOT vendor_sees(o.request_id, a.vendor) THEN
        PERFORM refuse('DW404', 'error.no_order', format('no order %s', left(p_order, 40)), jsonb_build_object('order', left(p_order, 40)));
    END IF;
    a := proposer(v_system);   -- refuses a vendor, locks the system for numbering
    IF v_definition = 'warranty' THEN
        PERFORM refuse('DW422', 'error.claim_on_fix', format('%s is itself a warranty fix: claim on the order it fixes', o.number),
                       jsonb_build_object('order', o.number,
                                          'original', (SELECT x.warranty_of FROM request x WHERE x.id = o.request_id)));
    END IF;
    IF o.cancelled_at IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.claim_cancelled', format('%s was cancelled: there is no warranty on it', o.number),
                       jsonb_build_object('order', o.number, 'request', o.request_id));
    END IF;
    IF o.accepted_at IS NULL THEN
        PERFORM refuse('DW422', 'error.claim_not_accepted', format('%s has not been accepted: its warranty has not started', o.number),
                       jsonb_build_object('order', o.number, 'request', o.request_id));
    END IF;
    IF coalesce(o.warranty_months, 0) = 0 THEN
        v_contract := (SELECT number FROM contract WHERE contract.id = o.contract_id);
        PERFORM refuse('DW422', 'error.no_warranty', format('%s was ordered without a warranty (contract %s)', o.number, v_contract),
                       jsonb_build_object('order', o.number, 'contract', v_contract));
    END IF;
    v_end := warranty_end(o);
    IF v_today > v_end THEN
        PERFORM refuse('DW422', 'error.warranty_ended', format('the warranty of %s ended on %s', o.number, v_end),
                       jsonb_build_object('order', o.number, 'end', v_end, 'accepted', (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date,
                                          'months', o.warranty_months));
    END IF;
    r := new_request(v_system, p_title, p_description, p_requester, a, 'warranty', o.number);
    PERFORM notify_event((SELECT e.id FROM event e WHERE e.request_id = r.id AND e.seq = 1), r, a, session_user, 'propose', NULL, r.state,
                         1, jsonb_build_object('title', r.title, 'warranty_of', o.number), ARRAY['system_owners']);
    RETURN QUERY SELECT r.id, r.version, o.number, v_end;
END
$$;

-- What `request show` adds for warranty and holds: the terms the order kept, its warranty's last
-- day, whether it is held, the claims on it; for a claim, the order and request it is on.
CREATE FUNCTION request_terms(p_request text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
    v_mine text := reader_vendor(a);
    o purchase_order;
BEGIN
    SELECT * INTO o FROM purchase_order x WHERE x.request_id = r.id AND (v_mine IS NULL OR x.vendor = v_mine);
    RETURN jsonb_strip_nulls(jsonb_build_object(
        'definition', r.definition,
        'warranty_of', r.warranty_of,
        'warranty_of_request', (SELECT x.request_id FROM purchase_order x WHERE x.number = r.warranty_of),
        'terms', CASE WHEN o.number IS NOT NULL THEN jsonb_strip_nulls(jsonb_build_object(
                     'warranty_months', o.warranty_months, 'fix_days', o.fix_days, 'penalty_per_day', o.penalty_per_day,
                     'penalty_cap', o.penalty_cap)) END,
        -- A fix's own order carries the terms it fixes under, not a warranty of its own.
        'warranty_end', CASE WHEN r.warranty_of IS NULL THEN warranty_end(o) END,
        'held_since', o.held_since,
        'claims', (SELECT jsonb_agg(jsonb_build_object('request', c.id, 'state', c.state, 'title', c.title) ORDER BY c.created_at, c.id)
                   FROM request c WHERE o.number IS NOT NULL AND c.warranty_of = o.number
                     AND (v_mine IS NULL OR vendor_sees(c.id, v_mine)))));
END
$$;

-- Penalties -------------------------------------------------------------------------------------------
-- A late order's penalty, as arithmetic on its facts: days late are the calendar days from the
-- deadline to the delivery (delivery on the deadline is on time); held days are the days of that
-- late period on which the buyer held the clock (a hold runs from the day it was put, up to the day
-- it was lifted or the work delivered, that day not included; a hold before the deadline does not
-- move it); the days counted are the difference; the penalty is price × rate % × days counted,
-- at most price × cap %. Amounts are rounded to the cent once, at the end of each product.
CREATE FUNCTION penalty_figures(p_deadline date, p_delivered date, p_holds daterange[], p_price numeric, p_rate numeric, p_cap numeric,
                                OUT days_late integer, OUT held_days integer, OUT days_counted integer,
                                OUT amount numeric, OUT cap_amount numeric, OUT penalty numeric, OUT capped boolean)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_late daterange := daterange(p_deadline + 1, greatest(p_delivered, p_deadline) + 1);
    v_held datemultirange;
BEGIN
    days_late := greatest(p_delivered - p_deadline, 0);
    SELECT coalesce(range_agg(h * v_late), '{}'::datemultirange) INTO v_held FROM unnest(coalesce(p_holds, '{}')) h WHERE NOT isempty(h * v_late);
    held_days := coalesce((SELECT sum(upper(x) - lower(x)) FROM unnest(v_held) x), 0);
    days_counted := greatest(days_late - held_days, 0);
    amount := round(p_price * coalesce(p_rate, 0) / 100 * days_counted, 2);
    cap_amount := CASE WHEN p_cap IS NOT NULL THEN round(p_price * p_cap / 100, 2) END;
    penalty := CASE WHEN cap_amount IS NOT NULL THEN least(amount, cap_amount) ELSE amount END;
    capped := cap_amount IS NOT NULL AND amount > cap_amount;
END
$$;

-- The holds of a request from its history: each 'hold' event to the next 'resume', 'deliver' or
-- 'cancel' (a hold still on runs to p_until), as days in Tallinn.
CREATE FUNCTION request_holds(p_request text, p_until date) RETURNS daterange[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(daterange((h.at AT TIME ZONE 'Europe/Tallinn')::date,
                                        coalesce((e.at AT TIME ZONE 'Europe/Tallinn')::date, p_until + 1)) ORDER BY h.seq), '{}')
    FROM workflow.event h
    LEFT JOIN LATERAL (SELECT x.at FROM workflow.event x WHERE x.request_id = h.request_id AND x.seq > h.seq
                         AND x.transition IN ('resume', 'deliver', 'cancel') ORDER BY x.seq LIMIT 1) e ON true
    WHERE h.request_id = p_request AND h.transition = 'hold'
$$;

-- Every late order (of a year's deadlines, of a vendor, when given) as the reader may see it, with
-- its figures: a delivered order's days to its delivery, an undelivered one's so far (to p_today,
-- 'running'). A warranty fix is priced at the order it fixes. Staff see every order, a vendor's
-- login its vendor's.
CREATE FUNCTION penalties(p_year integer DEFAULT NULL, p_vendor text DEFAULT NULL, p_today date DEFAULT NULL)
RETURNS TABLE (order_number text, request text, system text, title text, vendor text, contract text, warranty_of text, state text,
               deadline date, delivered date, running boolean, base_price numeric, rate numeric, cap numeric, holds jsonb,
               days_late integer, held_days integer, days_counted integer, amount numeric, cap_amount numeric, penalty numeric,
               capped boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_any boolean := pg_has_role(session_user, 'devworkflow_daemon', 'MEMBER');
    v_mine text;
    v_today date := coalesce(p_today, (now() AT TIME ZONE 'Europe/Tallinn')::date);
BEGIN
    IF NOT v_any THEN
        v_mine := reader_vendor(actor());
    END IF;
    PERFORM checked_date('today', v_today);
    RETURN QUERY
    SELECT o.number, r.id, r.system, r.title, o.vendor, c.number, r.warranty_of, r.state, o.deadline, x.delivered, x.delivered IS NULL,
           coalesce(b.price, o.price), o.penalty_per_day, o.penalty_cap,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('from', lower(h), 'to', upper(h) - 1)), '[]')
            FROM unnest(x.holds) h WHERE NOT isempty(h)),
           f.days_late, f.held_days, f.days_counted, f.amount, f.cap_amount, f.penalty, f.capped
    FROM purchase_order o
    JOIN request r ON r.id = o.request_id
    JOIN contract c ON c.id = o.contract_id
    LEFT JOIN purchase_order b ON b.number = r.warranty_of
    CROSS JOIN LATERAL (SELECT (o.delivered_at AT TIME ZONE 'Europe/Tallinn')::date AS delivered) d
    -- The holds read from the history once, for the figures and for the reader.
    CROSS JOIN LATERAL (SELECT d.delivered, request_holds(r.id, coalesce(d.delivered, v_today)) AS holds) x
    CROSS JOIN LATERAL penalty_figures(o.deadline, coalesce(x.delivered, v_today), x.holds,
                                       coalesce(b.price, o.price), o.penalty_per_day, o.penalty_cap) f
    WHERE o.cancelled_at IS NULL
      AND coalesce(x.delivered, v_today) > o.deadline
      AND (p_year IS NULL OR o.deadline BETWEEN make_date(p_year, 1, 1) AND make_date(p_year, 12, 31))
      AND (p_vendor IS NULL OR o.vendor = p_vendor)
      AND (v_mine IS NULL OR o.vendor = v_mine)
    ORDER BY o.deadline, o.number;
END
$$;

-- Reminders -----------------------------------------------------------------------------------------------
-- The warranty road has its own: its fix deadline near and passed (the deadline rules leave warranty
-- fixes to them), and the product owner hears a month before a released order's warranty ends.
INSERT INTO reminder_rule (key, business_days, repeat_every, escalate_after, description) VALUES
    ('warranty_fix_near', 2, NULL, NULL, 'N business days before a warranty fix''s deadline: the vendor should fix it in time'),
    ('warranty_fix_passed', 0, 1, 5, 'a warranty fix''s deadline passed: the vendor and the product owner, again every R business days, an admin after E'),
    ('warranty_ending', 0, NULL, NULL, 'a month (and N business days) before a released order''s warranty ends: the product owner should look for defects');

-- Calendars: warranty ends ----------------------------------------------------------------------------
-- 0011's calendar_feed keeps its scope and events; what the warranty adds is its own function, so
-- a later road adds one function too. A warranty that has not ended: staff who see the request,
-- the ordered vendor.
CREATE FUNCTION calendar_warranty_events(p_staff_scope text, p_login text, p_vendor text, p_today date)
RETURNS TABLE (kind text, id text, day date, last_day date, request text, system text, title text, vendor text, order_number text,
               detail text, changed timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT 'warranty-end', r.id || CASE WHEN p_staff_scope IS NULL THEN '-' || o.vendor ELSE '' END, workflow.warranty_end(o), NULL::date,
           r.id, r.system, r.title, o.vendor, o.number, o.warranty_months::text, o.accepted_at
    FROM workflow.purchase_order o JOIN workflow.request r ON r.id = o.request_id
    WHERE workflow.warranty_end(o) >= p_today AND r.warranty_of IS NULL
      AND (p_staff_scope = 'admin'
           OR (p_staff_scope = 'product_owner' AND r.system IN (SELECT s.system FROM workflow.person_system s WHERE s.login = p_login))
           OR (p_staff_scope = 'requester' AND r.requester_login = p_login)
           OR (p_staff_scope IS NULL AND o.vendor = p_vendor))
$$;

ALTER FUNCTION calendar_feed(text, text, date) RENAME TO calendar_feed_0011;
REVOKE ALL ON FUNCTION calendar_feed_0011(text, text, date) FROM PUBLIC, devworkflow_user, devworkflow_daemon;
CREATE FUNCTION calendar_feed(p_person text, p_vendor text, p_today date) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_feed jsonb := calendar_feed_0011(p_person, p_vendor, p_today);   -- refuses a feed the caller may not read
    p person;
    v_scope text;
    v_events jsonb;
    v_stamp timestamptz;
BEGIN
    IF p_person IS NOT NULL THEN
        SELECT * INTO p FROM person WHERE login = p_person;
        v_scope := CASE WHEN p.role = 'vendor' THEN NULL ELSE p.role END;
    END IF;
    SELECT coalesce(jsonb_agg(x.e ORDER BY x.e ->> 'date', x.e ->> 'kind', x.e ->> 'id'), '[]'), max(x.changed)
    INTO v_events, v_stamp
    FROM (SELECT e, NULL::timestamptz AS changed FROM jsonb_array_elements(v_feed -> 'events') e
          UNION ALL
          SELECT jsonb_build_object('kind', w.kind, 'id', w.id, 'date', w.day, 'last_date', w.last_day, 'request', w.request,
                                    'system', w.system, 'title', w.title, 'vendor', w.vendor, 'order', w.order_number, 'detail', w.detail),
                 w.changed
          FROM calendar_warranty_events(v_scope, p.login, coalesce(p.vendor, p_vendor), p_today) w) x;
    RETURN v_feed || jsonb_build_object('events', v_events,
                                        'stamp', greatest((v_feed ->> 'stamp')::timestamptz, v_stamp));
END
$$;

-- Privileges ----------------------------------------------------------------------------------------------
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA workflow FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    set_contract_terms(text, integer, integer, numeric, numeric), open_warranty_claim(text, text, text, text), request_terms(text),
    penalties(integer, text, date), calendar_feed(text, text, date)
TO devworkflow_user;
GRANT EXECUTE ON FUNCTION penalties(integer, text, date), calendar_feed(text, text, date) TO devworkflow_daemon;
