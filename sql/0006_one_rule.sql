-- One rule, one place; and what a login can do in psql.
--
-- Every workflow rule now lives here, once: the definition (states, transitions, who may take
-- them, the inputs they take, the guards and effects they run, whom they notify) is data in
-- workflow_* tables; each guard and each effect is a small function called by name from the
-- definition; move() only strings them together. workflowctl, the library, psql and mail
-- replies all call move(), so each refusal has one message key, one SQLSTATE and one place in
-- the order of checks. A later migration that changes a rule replaces that rule's function.
--
-- Logins lose every table privilege they do not need: writes go through SECURITY DEFINER
-- functions; base tables are readable by staff only (devworkflow_staff, granted and revoked by
-- the product from the person record); vendors and logins with no person record read through
-- functions that return only what they may see, so no planner statistic (EXPLAIN's "Rows
-- Removed by Filter") can reveal a row they may not see.

-- Refusals ------------------------------------------------------------------------------------

-- The one way the schema refuses: SQLSTATE (DW400 usage, DW403 not permitted, DW404 no such
-- thing, DW409 conflict, DW422 a rule refused), English text for psql, and the catalogue key with
-- its values in DETAIL as JSON, so workflowctl says it in the reader's language. The key of the
-- message is `key`; a value may not use that name.
CREATE FUNCTION refuse(p_state text, p_key text, p_message text, p_args jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_state, MESSAGE = p_message,
        DETAIL = (jsonb_build_object('key', p_key) || (coalesce(p_args, '{}') - 'key'))::text;
END
$$;

-- The business-day calendar of Estonia ---------------------------------------------------------
-- The one definition of a business day: Monday to Friday, not one of the twelve public holidays
-- of the Public Holidays and Days of National Importance Act, not a closure day. workflowctl and
-- workflowd read the days off from here (holidays()), so defaults, reminders and `calendar add`
-- count alike.

-- Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
CREATE FUNCTION easter_sunday(p_year integer) RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    a integer := p_year % 19;
    b integer := p_year / 100;
    c integer := p_year % 100;
    h integer;
    l integer;
    m integer;
BEGIN
    h := (19 * a + b - b / 4 - (b - (b + 8) / 25 + 1) / 3 + 15) % 30;
    l := (32 + 2 * (b % 4) + 2 * (c / 4) - h - c % 4) % 7;
    m := (a + 11 * h + 22 * l) / 451;
    RETURN make_date(p_year, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1);
END
$$;

-- The public holidays of a year, weekends included (Estonia has no substitute days), with the
-- catalogue key of each name (holiday.<key>).
CREATE FUNCTION public_holidays(p_year integer) RETURNS TABLE (day date, key text)
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT d, k FROM (VALUES
        (make_date(p_year, 1, 1), 'new_year'), (make_date(p_year, 2, 24), 'independence_day'),
        (workflow.easter_sunday(p_year) - 2, 'good_friday'), (workflow.easter_sunday(p_year), 'easter_sunday'),
        (make_date(p_year, 5, 1), 'spring_day'), (workflow.easter_sunday(p_year) + 49, 'pentecost'),
        (make_date(p_year, 6, 23), 'victory_day'), (make_date(p_year, 6, 24), 'midsummer_day'),
        (make_date(p_year, 8, 20), 'restoration_of_independence'), (make_date(p_year, 12, 24), 'christmas_eve'),
        (make_date(p_year, 12, 25), 'christmas_day'), (make_date(p_year, 12, 26), 'boxing_day')
    ) AS h(d, k)
    ORDER BY d
$$;

-- Every day off that is not a weekend day, from one date to another: public holidays and closures.
CREATE FUNCTION days_off(p_from date, p_to date) RETURNS TABLE (day date, kind text, key text)
LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT h.day, 'holiday', h.key
    FROM generate_series(extract(year FROM p_from)::integer, extract(year FROM p_to)::integer) AS y(year)
    CROSS JOIN LATERAL public_holidays(y.year) h
    WHERE h.day BETWEEN p_from AND p_to
    UNION ALL
    SELECT c.day, 'closure', NULL FROM calendar_closure c WHERE c.day BETWEEN p_from AND p_to
    ORDER BY 1
$$;

-- The date n business days after (n < 0: before) a date; the date itself never counts.
CREATE FUNCTION add_business_days(p_day date, p_count integer) RETURNS date
LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_step integer := sign(p_count);
    v_left integer := abs(p_count);
    v_day date := p_day;
    v_off date[];
BEGIN
    IF v_left > 10000 THEN
        PERFORM refuse('DW422', 'error.business_days_count', format('%s business days is more than 10000', p_count),
                       jsonb_build_object('value', p_count));
    END IF;
    -- Days off within the span: a business day recurs at least every 5 days, twelve holidays a year.
    SELECT array_agg(o.day) INTO v_off
    FROM days_off(least(p_day, p_day + v_step * (v_left * 2 + 30)), greatest(p_day, p_day + v_step * (v_left * 2 + 30))) o;
    WHILE v_left > 0 LOOP
        v_day := v_day + v_step;
        IF extract(isodow FROM v_day) < 6 AND NOT (v_day = ANY (coalesce(v_off, '{}'))) THEN
            v_left := v_left - 1;
        END IF;
    END LOOP;
    RETURN v_day;
END
$$;

-- The workflow definition: one source ------------------------------------------------------------
-- 0002's tables held one definition without guards or inputs; the engine now runs any definition
-- these tables hold (the warranty road is a second one), and a request names its own.

DROP TABLE workflow_transition;
DROP TABLE workflow_state CASCADE;   -- and request.state's foreign key, made again below

CREATE TABLE workflow_definition (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,39}$'),
    start_state text NOT NULL
);

CREATE TABLE workflow_state (
    definition text NOT NULL REFERENCES workflow_definition,
    name       text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,39}$'),
    is_final   boolean NOT NULL,
    position   integer NOT NULL,
    PRIMARY KEY (definition, name)
);

-- What a transition may be given: each value's kind says how it is checked (input_value()).
CREATE TABLE workflow_input (
    name     text PRIMARY KEY,
    kind     text NOT NULL CHECK (kind IN ('priority', 'vendors', 'vendor', 'date', 'future_date', 'hours', 'money', 'text')),
    position integer NOT NULL
);
INSERT INTO workflow_input (name, kind, position) VALUES
    ('priority', 'priority', 1), ('vendors', 'vendors', 2), ('vendor', 'vendor', 3), ('due', 'future_date', 4),
    ('hours', 'hours', 5), ('price', 'money', 6), ('delivery', 'future_date', 7), ('deadline', 'future_date', 8),
    ('reason', 'text', 9), ('note', 'text', 10), ('version_name', 'text', 11);

-- The guards and effects a transition can name, and the refusals each can raise (the refusal
-- test runs every one of them through every way in). A guard checks and may fill in a default;
-- an effect writes. run_step() calls each by its name.
CREATE TABLE workflow_step (
    name     text PRIMARY KEY,
    kind     text NOT NULL CHECK (kind IN ('guard', 'effect')),
    refusals text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE workflow_transition (
    definition text NOT NULL,
    name       text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,39}$'),
    from_state text NOT NULL,
    to_state   text NOT NULL,
    position   integer NOT NULL,
    actors     text[] NOT NULL CHECK (cardinality(actors) > 0 AND actors <@ ARRAY['admin', 'system_owner', 'invited_vendor', 'ordered_vendor']),
    required   text[] NOT NULL DEFAULT '{}',
    optional   text[] NOT NULL DEFAULT '{}',
    guards     text[] NOT NULL DEFAULT '{}',
    effects    text[] NOT NULL DEFAULT '{}',
    notify     text[] NOT NULL DEFAULT '{}'
        CHECK (notify <@ ARRAY['system_owners', 'invited_vendors', 'quoting_vendors', 'ordered_vendor', 'requester', 'admins']),
    -- Who besides staff reads the event: everyone who sees the request, only the vendor the step
    -- concerns (its quote, its order), or nobody (an invitation lists competitors).
    audience   text NOT NULL CHECK (audience IN ('all', 'vendor', 'staff')),
    PRIMARY KEY (definition, name, from_state),
    FOREIGN KEY (definition, from_state) REFERENCES workflow_state,
    FOREIGN KEY (definition, to_state) REFERENCES workflow_state
);

ALTER TABLE request ADD COLUMN definition text NOT NULL DEFAULT 'small_development';

-- Whether a definition is one the engine can run; called after a definition is written.
CREATE FUNCTION check_definition(p_definition text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_start text;
    v_problem text;
BEGIN
    SELECT start_state INTO v_start FROM workflow_definition WHERE name = p_definition;
    SELECT string_agg(problem, '; ') INTO v_problem FROM (
        SELECT format('start state %s is not a state', v_start) AS problem
        WHERE NOT EXISTS (SELECT 1 FROM workflow_state WHERE definition = p_definition AND name = v_start)
        UNION ALL
        SELECT format('start state %s is final', v_start) FROM workflow_state WHERE definition = p_definition AND name = v_start AND is_final
        UNION ALL
        SELECT format('transition %s leaves final state %s', t.name, t.from_state)
        FROM workflow_transition t JOIN workflow_state s ON s.definition = t.definition AND s.name = t.from_state
        WHERE t.definition = p_definition AND s.is_final
        UNION ALL
        SELECT format('transition %s names unknown step %s', t.name, s.step)
        FROM workflow_transition t CROSS JOIN LATERAL unnest(t.guards || t.effects) AS s(step)
        WHERE t.definition = p_definition AND NOT EXISTS (SELECT 1 FROM workflow_step w WHERE w.name = s.step)
        UNION ALL
        SELECT format('transition %s names step %s as a %s', t.name, s.step, w.kind)
        FROM workflow_transition t CROSS JOIN LATERAL unnest(t.guards) AS s(step) JOIN workflow_step w ON w.name = s.step
        WHERE t.definition = p_definition AND w.kind <> 'guard'
        UNION ALL
        SELECT format('transition %s names step %s as an effect', t.name, s.step)
        FROM workflow_transition t CROSS JOIN LATERAL unnest(t.effects) AS s(step) JOIN workflow_step w ON w.name = s.step
        WHERE t.definition = p_definition AND w.kind <> 'effect'
        UNION ALL
        SELECT format('transition %s takes unknown input %s', t.name, f.field)
        FROM workflow_transition t CROSS JOIN LATERAL unnest(t.required || t.optional) AS f(field)
        WHERE t.definition = p_definition AND NOT EXISTS (SELECT 1 FROM workflow_input i WHERE i.name = f.field)
        UNION ALL
        SELECT format('transition %s has different inputs from %s than from other states', t.name, t.from_state)
        FROM workflow_transition t JOIN workflow_transition u ON u.definition = t.definition AND u.name = t.name
        WHERE t.definition = p_definition AND t.from_state < u.from_state
          AND (t.required, t.optional, t.actors, t.guards, t.effects) IS DISTINCT FROM (u.required, u.optional, u.actors, u.guards, u.effects)
        UNION ALL
        -- Every state reachable from the start, and able to reach a final state.
        SELECT format('state %s cannot be reached from %s', s.name, v_start)
        FROM workflow_state s WHERE s.definition = p_definition AND s.name NOT IN (
            WITH RECURSIVE reached(name) AS (
                SELECT v_start
                UNION
                SELECT t.to_state FROM workflow_transition t JOIN reached r ON t.from_state = r.name WHERE t.definition = p_definition)
            SELECT name FROM reached)
        UNION ALL
        SELECT format('state %s cannot reach a final state', s.name)
        FROM workflow_state s WHERE s.definition = p_definition AND s.name NOT IN (
            WITH RECURSIVE finishing(name) AS (
                SELECT name FROM workflow_state WHERE definition = p_definition AND is_final
                UNION
                SELECT t.from_state FROM workflow_transition t JOIN finishing f ON t.to_state = f.name WHERE t.definition = p_definition)
            SELECT name FROM finishing)
    ) problems;
    IF v_problem IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.workflow_invalid', format('workflow %s is invalid: %s', p_definition, v_problem),
                       jsonb_build_object('name', p_definition, 'problems', v_problem));
    END IF;
END
$$;

INSERT INTO workflow_step (name, kind, refusals) VALUES
    ('vendors_contracted', 'guard', ARRAY['error.no_vendor', 'error.contract_expired', 'error.no_contract_at_all']),
    ('quote_due_default', 'guard', '{}'),
    ('quoting_vendor', 'guard', ARRAY['error.other_vendor', 'error.quote_needs_vendor']),
    ('invited', 'guard', ARRAY['error.not_invited']),
    ('within_rate', 'guard', ARRAY['error.contract_expired', 'error.no_contract_at_all', 'error.over_rate']),
    ('quoted', 'guard', ARRAY['error.not_quoted', 'error.not_quoted_others']),
    ('contract_on_order_date', 'guard', ARRAY['error.contract_expired', 'error.no_contract_at_all']),
    ('cap_left', 'guard', ARRAY['error.over_cap']),
    ('budget_left', 'guard', ARRAY['error.no_budget', 'error.over_budget']),
    ('deadline_default', 'guard', '{}'),
    ('delivering_vendor', 'guard', ARRAY['error.other_vendor', 'error.ordered_from_other']),
    ('set_priority', 'effect', '{}'),
    ('invite', 'effect', '{}'),
    ('record_quote', 'effect', '{}'),
    ('place_order', 'effect', '{}'),
    ('record_delivery', 'effect', '{}'),
    ('record_acceptance', 'effect', '{}'),
    ('record_return', 'effect', '{}'),
    ('record_release', 'effect', '{}'),
    ('cancel_order', 'effect', '{}');

INSERT INTO workflow_definition (name, start_state) VALUES ('small_development', 'proposed');

INSERT INTO workflow_state (definition, name, is_final, position)
SELECT 'small_development', name, is_final, position FROM (VALUES
    ('proposed', false, 1), ('prioritised', false, 2), ('quote_requested', false, 3), ('quoted', false, 4),
    ('ordered', false, 5), ('delivered', false, 6), ('accepted', false, 7), ('released', true, 8),
    ('rejected', true, 9), ('cancelled', true, 10)) AS s(name, is_final, position);

-- PRODUCT.md's road. `invite` (new) asks more vendors while quotes are open: the quoted_waiting
-- reminder advises it, and from quoted it keeps the quotes already in.
INSERT INTO workflow_transition (definition, name, from_state, to_state, position, actors, required, optional, guards, effects, notify, audience)
SELECT 'small_development', t.name, f.from_state, coalesce(t.to_state, f.from_state), t.position, t.actors, t.required, t.optional,
       t.guards, t.effects, t.notify, t.audience
FROM (VALUES
    ('prioritise', ARRAY['proposed'], 'prioritised', 1, ARRAY['system_owner', 'admin'], ARRAY['priority'], '{}'::text[],
        '{}'::text[], ARRAY['set_priority'], ARRAY['requester'], 'all'),
    ('reject', ARRAY['proposed', 'prioritised'], 'rejected', 2, ARRAY['system_owner', 'admin'], ARRAY['reason'], '{}',
        '{}', '{}', ARRAY['requester'], 'all'),
    ('request_quote', ARRAY['prioritised'], 'quote_requested', 3, ARRAY['system_owner', 'admin'], ARRAY['vendors'], ARRAY['due'],
        ARRAY['vendors_contracted', 'quote_due_default'], ARRAY['invite'], ARRAY['invited_vendors'], 'staff'),
    ('invite', ARRAY['quote_requested', 'quoted'], NULL, 4, ARRAY['system_owner', 'admin'], ARRAY['vendors'], ARRAY['due'],
        ARRAY['vendors_contracted', 'quote_due_default'], ARRAY['invite'], ARRAY['invited_vendors'], 'staff'),
    ('quote', ARRAY['quote_requested', 'quoted'], 'quoted', 5, ARRAY['invited_vendor', 'system_owner', 'admin'],
        ARRAY['hours', 'price', 'delivery'], ARRAY['vendor'], ARRAY['quoting_vendor', 'invited', 'within_rate'], ARRAY['record_quote'],
        ARRAY['system_owners'], 'vendor'),
    ('order', ARRAY['quoted'], 'ordered', 6, ARRAY['system_owner', 'admin'], ARRAY['vendor'], ARRAY['deadline'],
        ARRAY['quoted', 'contract_on_order_date', 'cap_left', 'budget_left', 'deadline_default'], ARRAY['place_order'],
        ARRAY['ordered_vendor', 'quoting_vendors'], 'vendor'),
    ('deliver', ARRAY['ordered'], 'delivered', 7, ARRAY['ordered_vendor', 'system_owner', 'admin'], ARRAY['note'], ARRAY['vendor'],
        ARRAY['delivering_vendor'], ARRAY['record_delivery'], ARRAY['system_owners'], 'vendor'),
    ('accept', ARRAY['delivered'], 'accepted', 8, ARRAY['system_owner', 'admin'], '{}', '{}',
        '{}', ARRAY['record_acceptance'], ARRAY['ordered_vendor'], 'vendor'),
    ('return', ARRAY['delivered'], 'ordered', 9, ARRAY['system_owner', 'admin'], ARRAY['reason'], ARRAY['deadline'],
        '{}', ARRAY['record_return'], ARRAY['ordered_vendor'], 'vendor'),
    ('release', ARRAY['accepted'], 'released', 10, ARRAY['system_owner', 'admin'], ARRAY['version_name'], '{}',
        '{}', ARRAY['record_release'], ARRAY['system_owners', 'requester'], 'vendor'),
    ('cancel', ARRAY['proposed', 'prioritised', 'quote_requested', 'quoted', 'ordered', 'delivered', 'accepted'], 'cancelled', 11,
        ARRAY['system_owner', 'admin'], ARRAY['reason'], '{}', '{}', ARRAY['cancel_order'],
        ARRAY['requester', 'ordered_vendor', 'quoting_vendors'], 'all')
) AS t(name, from_states, to_state, position, actors, required, optional, guards, effects, notify, audience)
CROSS JOIN LATERAL unnest(t.from_states) AS f(from_state);

DO $$ BEGIN PERFORM check_definition('small_development'); END $$;

ALTER TABLE request ADD CONSTRAINT request_state_fkey FOREIGN KEY (definition, state) REFERENCES workflow_state;

-- Numbers that are numbers, dates that are dates ----------------------------------------------
-- NaN passes `price > 0` and 'infinity' is a date to PostgreSQL; one such row stopped reports and
-- the daemon for everyone. Every stored amount and date is finite and in range (NOT VALID: rows
-- already stored are left for an admin to look at, new ones are checked).
-- One range check per table where the older CHECKs said only "> 0" (every CHECK of a table is
-- prepared again for each statement that writes it, a move included).
ALTER TABLE quote DROP CONSTRAINT quote_hours_positive, DROP CONSTRAINT quote_price_positive,
                  ADD CONSTRAINT quote_ranges CHECK (hours > 0 AND hours <= 100000 AND price > 0 AND price <= 999999999999.99
                                                     AND delivery BETWEEN '2000-01-01' AND '2100-12-31') NOT VALID;
ALTER TABLE purchase_order DROP CONSTRAINT purchase_order_price_check,
                           ADD CONSTRAINT order_ranges CHECK (price > 0 AND price <= 999999999999.99
                                                              AND order_date BETWEEN '2000-01-01' AND '2100-12-31'
                                                              AND deadline BETWEEN '2000-01-01' AND '2100-12-31') NOT VALID;
ALTER TABLE invitation ADD CONSTRAINT invitation_due_range CHECK (due BETWEEN '2000-01-01' AND '2100-12-31') NOT VALID;
ALTER TABLE request ADD CONSTRAINT request_quote_due_range CHECK (quote_due BETWEEN '2000-01-01' AND '2100-12-31') NOT VALID;
ALTER TABLE contract ADD CONSTRAINT contract_dates_range CHECK (valid_from BETWEEN '2000-01-01' AND '2100-12-31'
                                                                AND valid_to BETWEEN '2000-01-01' AND '2100-12-31') NOT VALID,
                     ADD CONSTRAINT contract_amounts_range CHECK (hourly_rate <= 999999999999.99 AND cap <= 999999999999.99) NOT VALID;
ALTER TABLE budget ADD CONSTRAINT budget_amount_range CHECK (amount <= 999999999999.99) NOT VALID;
ALTER TABLE calendar_closure ADD CONSTRAINT calendar_closure_day_range CHECK (day BETWEEN '2000-01-01' AND '2100-12-31') NOT VALID;

-- What a guard needs in O(1) ----------------------------------------------------------------------
-- The budget and cap guards summed a whole year's orders on every move (no index serves
-- extract(year FROM order_date)): a move's cost grew with the history. The sums are kept on the
-- rows the order locks anyway, by the effects that place and cancel orders, and nowhere else.
ALTER TABLE budget ADD COLUMN used numeric(14,2) NOT NULL DEFAULT 0;
ALTER TABLE contract ADD COLUMN used numeric(14,2) NOT NULL DEFAULT 0;
UPDATE budget b SET used = coalesce((
    SELECT sum(o.price) FROM purchase_order o JOIN request r ON r.id = o.request_id
    WHERE r.system = b.system AND o.order_date BETWEEN make_date(b.year, 1, 1) AND make_date(b.year, 12, 31) AND o.cancelled_at IS NULL), 0);
UPDATE contract c SET used = coalesce((SELECT sum(o.price) FROM purchase_order o WHERE o.contract_id = c.id AND o.cancelled_at IS NULL), 0);

-- Comments staff keep among themselves.
ALTER TABLE comment ADD COLUMN internal boolean NOT NULL DEFAULT false;

-- Messages: one per vendor, to its people, copying the company's address; and whom the text is for.
ALTER TABLE outbox ADD COLUMN cc text[] NOT NULL DEFAULT '{}';

-- Who is acting ---------------------------------------------------------------------------------

-- The person a change is recorded for. An admin may act for another person (devworkflow.act_as,
-- workflowctl --as); anyone else who asks is refused the same way, whatever their role.
CREATE OR REPLACE FUNCTION acting_person(OUT person person, OUT by_login text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_as text := nullif(current_setting('devworkflow.act_as', true), '');
BEGIN
    by_login := session_user;
    SELECT * INTO person FROM workflow.person p WHERE p.login = session_user;
    IF person.login IS NULL THEN
        PERFORM refuse('DW403', 'error.no_person',
                       format('login %s has no person record: an admin must add it with workflowctl person add', session_user));
    END IF;
    IF v_as IS NULL OR v_as = person.login THEN
        RETURN;
    END IF;
    IF person.role <> 'admin' THEN
        PERFORM refuse('DW403', 'error.act_as_admins_only', format('only admins may act as another person (%s is %s)', person.login, person.role),
                       jsonb_build_object('login', person.login, 'role', 'message:role.' || person.role));
    END IF;
    SELECT * INTO person FROM workflow.person p WHERE p.login = v_as;
    IF person.login IS NULL THEN
        PERFORM refuse('DW404', 'error.no_person_to_act_as', format('no person %s to act as', v_as), jsonb_build_object('login', v_as));
    END IF;
END
$$;

-- Whether a vendor's users see a request: invited to quote for it, or ordered to do it.
CREATE FUNCTION vendor_sees(p_request text, p_vendor text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM workflow.invitation WHERE request_id = p_request AND vendor = p_vendor)
        OR EXISTS (SELECT 1 FROM workflow.purchase_order WHERE request_id = p_request AND vendor = p_vendor)
$$;

-- A request as the acting person may see it, locked for a move when asked; one refusal whether
-- it does not exist or is hidden, so nobody learns that a hidden one exists.
CREATE FUNCTION visible_request(p_request text, a person, p_lock boolean) RETURNS request
LANGUAGE plpgsql AS $$
DECLARE
    r request;
BEGIN
    IF p_lock THEN
        SELECT * INTO r FROM request WHERE id = p_request FOR UPDATE;
    ELSE
        SELECT * INTO r FROM request WHERE id = p_request;
    END IF;
    IF r.id IS NULL OR (a.role = 'vendor' AND NOT vendor_sees(r.id, a.vendor)) THEN
        PERFORM refuse('DW404', 'error.no_request', format('no request %s', p_request), jsonb_build_object('request', p_request));
    END IF;
    RETURN r;
END
$$;

-- Which transition a name means from a request's state, or why none.
CREATE FUNCTION transition_now(r request, p_transition text) RETURNS workflow_transition
LANGUAGE plpgsql AS $$
DECLARE
    t workflow_transition;
    v_allowed text;
BEGIN
    SELECT * INTO t FROM workflow_transition WHERE definition = r.definition AND name = p_transition AND from_state = r.state;
    IF FOUND THEN
        RETURN t;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM workflow_transition WHERE definition = r.definition AND name = p_transition) THEN
        PERFORM refuse('DW422', 'error.unknown_transition', format('unknown transition %s', p_transition),
                       jsonb_build_object('transition', p_transition,
                                          'known', 'words:' || (SELECT string_agg(DISTINCT name, ',') FROM workflow_transition WHERE definition = r.definition)));
    END IF;
    SELECT string_agg(name, ',' ORDER BY position) INTO v_allowed FROM workflow_transition WHERE definition = r.definition AND from_state = r.state;
    IF v_allowed IS NULL THEN
        PERFORM refuse('DW422', 'error.not_possible_final', format('%s is %s: %s is not possible, the state is final', r.id, r.state, p_transition),
                       jsonb_build_object('request', r.id, 'state', 'state:' || r.state, 'transition', 'transition:' || p_transition));
    END IF;
    PERFORM refuse('DW422', 'error.not_possible_now', format('%s is %s: %s is not possible now; allowed now: %s', r.id, r.state, p_transition, v_allowed),
                   jsonb_build_object('request', r.id, 'state', 'state:' || r.state, 'transition', 'transition:' || p_transition,
                                      'allowed', 'transitions:' || v_allowed));
    RETURN NULL;
END
$$;

-- Why this person may not take the transition on this request (the refusal's DETAIL), or NULL
-- when they may. move() and transitions() both ask here.
CREATE FUNCTION permission_refusal(r request, a person, t workflow_transition) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    -- One branch per role, so an admin's move asks nothing of the tables.
    IF a.role = 'admin' THEN
        IF 'admin' = ANY (t.actors) THEN RETURN NULL; END IF;
    ELSIF a.role = 'product_owner' THEN
        IF 'system_owner' = ANY (t.actors) AND EXISTS (SELECT 1 FROM person_system WHERE login = a.login AND system = r.system) THEN
            RETURN NULL;
        END IF;
    ELSIF a.role = 'vendor' THEN
        IF ('invited_vendor' = ANY (t.actors) AND EXISTS (SELECT 1 FROM invitation WHERE request_id = r.id AND vendor = a.vendor))
           OR ('ordered_vendor' = ANY (t.actors)
               AND EXISTS (SELECT 1 FROM purchase_order WHERE request_id = r.id AND vendor = a.vendor AND cancelled_at IS NULL)) THEN
            RETURN NULL;
        END IF;
    END IF;
    RETURN jsonb_build_object('key', 'error.may_not', 'login', a.login, 'role', 'message:role.' || a.role,
                              'transition', 'transition:' || t.name, 'request', r.id, 'system', r.system,
                              'allowed_for', 'actors:' || array_to_string(t.actors, ','));
END
$$;

-- Inputs -----------------------------------------------------------------------------------------

-- One value as the transition will keep it, or a refusal: numbers finite and in range with at
-- most two decimals, dates real and not in the past, keys well formed, text bounded.
CREATE FUNCTION input_value(p_name text, p_value jsonb, p_today date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_kind text;
    v_text text;
    v_date date;
    v_number numeric;
    v_items text[];
BEGIN
    SELECT kind INTO v_kind FROM workflow_input WHERE name = p_name;
    v_text := CASE jsonb_typeof(p_value) WHEN 'string' THEN p_value #>> '{}' WHEN 'number' THEN p_value::text ELSE NULL END;
    CASE v_kind
    WHEN 'priority' THEN
        IF v_text IS NULL OR v_text !~ '^[0-9]{1,9}$' OR v_text::integer NOT BETWEEN 1 AND 5 THEN
            PERFORM refuse('DW422', 'error.priority_range', 'priority must be 1 to 5', jsonb_build_object('priority', left(coalesce(v_text, p_value::text), 40)));
        END IF;
        RETURN to_jsonb(v_text::integer);
    WHEN 'hours', 'money' THEN
        -- A plain decimal number (not NaN, not Infinity, no exponent) with at most two decimals;
        -- whether it is in range is said apart, with the largest there is.
        IF v_text IS NULL OR v_text !~ '^[0-9]{1,30}(\.[0-9]{1,30})?$' OR v_text::numeric <> round(v_text::numeric, 2) THEN
            PERFORM refuse('DW422', 'error.' || v_kind || '_format', format('%s must be a number with at most two decimals', p_name),
                           jsonb_build_object('value', left(coalesce(v_text, p_value::text), 40)));
        END IF;
        v_number := v_text::numeric;
        IF v_kind = 'hours' AND (v_number <= 0 OR v_number > 100000) THEN
            PERFORM refuse('DW422', 'error.hours_range', format('hours %s must be more than 0 and at most 100000', v_number),
                           jsonb_build_object('hours', v_number));
        ELSIF v_kind = 'money' AND v_number <= 0 THEN
            PERFORM refuse('DW422', 'error.price_positive', format('%s %s must be more than 0', p_name, v_number),
                           jsonb_build_object('price', v_number));
        ELSIF v_kind = 'money' AND v_number > 999999999999.99 THEN
            PERFORM refuse('DW422', 'error.amount_too_large', format('%s %s is too large: at most 999999999999.99', p_name, v_number),
                           jsonb_build_object('value', v_number, 'largest', '999999999999.99'));
        END IF;
        RETURN to_jsonb(round(v_number, 2));
    WHEN 'date', 'future_date' THEN
        IF v_text IS NULL OR v_text !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
            PERFORM refuse('DW422', 'error.date_format', format('%s must be a date YYYY-MM-DD', p_name),
                           jsonb_build_object('what', 'message:word.' || p_name, 'value', left(coalesce(v_text, p_value::text), 40)));
        END IF;
        BEGIN
            v_date := v_text::date;
        EXCEPTION WHEN others THEN
            PERFORM refuse('DW422', 'error.date_format', format('%s must be a date YYYY-MM-DD', p_name),
                           jsonb_build_object('what', 'message:word.' || p_name, 'value', v_text));
        END;
        IF v_date NOT BETWEEN '2000-01-01' AND '2100-12-31' THEN
            PERFORM refuse('DW422', 'error.date_range', format('%s %s is outside 2000-01-01 to 2100-12-31', p_name, v_date),
                           jsonb_build_object('what', 'message:word.' || p_name, 'date', v_date));
        END IF;
        IF v_kind = 'future_date' AND v_date < p_today THEN
            PERFORM refuse('DW422', 'error.date_past', format('%s %s is in the past', p_name, v_date),
                           jsonb_build_object('what', 'message:word.' || p_name, 'date', v_date, 'today', p_today));
        END IF;
        RETURN to_jsonb(v_date);
    WHEN 'vendor' THEN
        IF v_text IS NULL OR v_text !~ '^[A-Z][A-Z0-9_]{0,19}$' THEN
            PERFORM refuse('DW404', 'error.no_vendor', 'no such vendor', jsonb_build_object('vendor', left(coalesce(v_text, p_value::text), 40)));
        END IF;
        RETURN to_jsonb(v_text);
    WHEN 'vendors' THEN
        IF jsonb_typeof(p_value) <> 'array' OR jsonb_array_length(p_value) NOT BETWEEN 1 AND 50 THEN
            PERFORM refuse('DW422', 'error.vendors_needed', 'a list of 1 to 50 vendors is needed');
        END IF;
        SELECT array_agg(input_value('vendor', e, p_today) #>> '{}') INTO v_items FROM jsonb_array_elements(p_value) e;
        IF (SELECT count(DISTINCT x) FROM unnest(v_items) x) <> cardinality(v_items) THEN
            PERFORM refuse('DW422', 'error.vendor_twice', 'a vendor is named twice');
        END IF;
        RETURN to_jsonb(v_items);
    WHEN 'text' THEN
        IF v_text IS NULL THEN
            PERFORM refuse('DW422', 'error.text_expected', format('%s must be text', p_name), jsonb_build_object('what', 'message:word.' || p_name));
        END IF;
        IF length(v_text) > 5000 THEN
            PERFORM refuse('DW422', 'error.too_long', format('%s is longer than 5000 characters', p_name),
                           jsonb_build_object('what', 'message:word.' || p_name, 'limit', 5000));
        END IF;
        RETURN to_jsonb(btrim(v_text));
    END CASE;
    RETURN NULL;
END
$$;

-- The inputs a transition keeps: none it does not take, every one it needs, each checked.
CREATE FUNCTION checked_inputs(t workflow_transition, p_inputs jsonb, p_today date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_given text[];
    v_missing text;
    v_extra text;
    v_out jsonb := '{}';
    v_name text;
BEGIN
    IF p_inputs IS NOT NULL AND jsonb_typeof(p_inputs) <> 'object' THEN
        PERFORM refuse('DW400', 'error.inputs_object', 'the inputs must be a JSON object');
    END IF;
    -- One vendor or a list of them, whichever the transition takes: a command line cannot tell.
    IF p_inputs ? 'vendor' AND 'vendors' = ANY (t.required || t.optional) AND NOT p_inputs ? 'vendors' THEN
        p_inputs := (p_inputs - 'vendor') || jsonb_build_object('vendors', jsonb_build_array(p_inputs -> 'vendor'));
    ELSIF p_inputs ? 'vendors' AND 'vendor' = ANY (t.required || t.optional) AND NOT p_inputs ? 'vendor'
          AND jsonb_typeof(p_inputs -> 'vendors') = 'array' AND jsonb_array_length(p_inputs -> 'vendors') = 1 THEN
        p_inputs := (p_inputs - 'vendors') || jsonb_build_object('vendor', p_inputs -> 'vendors' -> 0);
    END IF;
    -- A value given as JSON null or blank text counts as not given.
    SELECT coalesce(array_agg(k), '{}') INTO v_given FROM jsonb_each(coalesce(p_inputs, '{}')) AS e(k, v)
    WHERE jsonb_typeof(v) <> 'null' AND NOT (jsonb_typeof(v) = 'string' AND btrim(v #>> '{}') = '');
    -- The usual case is two array comparisons; the refusals say which.
    IF NOT t.required <@ v_given THEN
        v_missing := array_to_string(ARRAY(SELECT f FROM unnest(t.required) f WHERE NOT f = ANY (v_given)), ',');
        PERFORM refuse('DW400', 'error.missing_inputs', format('%s needs %s', t.name, v_missing),
                       jsonb_build_object('transition', 'transition:' || t.name, 'options', 'inputs:' || v_missing));
    END IF;
    IF NOT v_given <@ (t.required || t.optional) THEN
        v_extra := array_to_string(ARRAY(SELECT left(g, 40) FROM unnest(v_given) g WHERE NOT g = ANY (t.required || t.optional)), ',');
        PERFORM refuse('DW400', 'error.extra_inputs', format('%s does not take %s', t.name, v_extra),
                       jsonb_build_object('transition', 'transition:' || t.name, 'options', 'inputs:' || v_extra));
    END IF;
    FOREACH v_name IN ARRAY v_given LOOP
        v_out := v_out || jsonb_build_object(v_name, input_value(v_name, p_inputs -> v_name, p_today));
    END LOOP;
    RETURN v_out;
END
$$;

-- Guards -----------------------------------------------------------------------------------------
-- Each takes the request (locked), the acting person, the inputs so far and today, and returns
-- what it adds to the inputs (a default, a value the effect needs), or refuses.

-- The contract of a vendor valid on a day, locked for the order that may use it, or a refusal
-- naming the latest contract it had.
CREATE FUNCTION contract_on(p_vendor text, p_day date, p_lock boolean) RETURNS contract
LANGUAGE plpgsql AS $$
DECLARE
    c contract;
BEGIN
    IF p_lock THEN
        SELECT * INTO c FROM contract WHERE vendor = p_vendor AND p_day BETWEEN valid_from AND valid_to ORDER BY valid_to DESC, id LIMIT 1 FOR UPDATE;
    ELSE
        SELECT * INTO c FROM contract WHERE vendor = p_vendor AND p_day BETWEEN valid_from AND valid_to ORDER BY valid_to DESC, id LIMIT 1;
    END IF;
    IF c.id IS NOT NULL THEN
        RETURN c;
    END IF;
    SELECT * INTO c FROM contract WHERE vendor = p_vendor ORDER BY valid_to DESC, id LIMIT 1;
    IF c.id IS NULL THEN
        PERFORM refuse('DW422', 'error.no_contract_at_all', format('vendor %s has no contract valid on %s (it has no contract)', p_vendor, p_day),
                       jsonb_build_object('vendor', p_vendor, 'today', p_day));
    END IF;
    PERFORM refuse('DW422', 'error.contract_expired', format('vendor %s has no contract valid on %s (contract %s runs %s to %s)',
                                                             p_vendor, p_day, c.number, c.valid_from, c.valid_to),
                   jsonb_build_object('vendor', p_vendor, 'today', p_day, 'contract', c.number, 'from', c.valid_from, 'to', c.valid_to));
    RETURN NULL;
END
$$;

-- Every vendor asked to quote exists and has a contract valid today.
CREATE FUNCTION step_vendors_contracted(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_vendor text;
BEGIN
    FOR v_vendor IN SELECT jsonb_array_elements_text(i -> 'vendors') LOOP
        IF NOT EXISTS (SELECT 1 FROM vendor WHERE key = v_vendor) THEN
            PERFORM refuse('DW404', 'error.no_vendor', format('no vendor %s', v_vendor), jsonb_build_object('vendor', v_vendor));
        END IF;
        PERFORM contract_on(v_vendor, d, false);
    END LOOP;
    RETURN NULL;
END
$$;

-- A quote is due five business days from today unless a date is given.
CREATE FUNCTION step_quote_due_default(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT CASE WHEN i ? 'due' THEN NULL ELSE jsonb_build_object('due', add_business_days(d, 5)) END
$$;

-- Who quotes: a vendor's user for its own vendor; staff name the vendor they record it for.
CREATE FUNCTION step_quoting_vendor(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    IF a.role = 'vendor' THEN
        IF i ? 'vendor' AND i ->> 'vendor' <> a.vendor THEN
            PERFORM refuse('DW403', 'error.other_vendor', format('%s may not act for vendor %s', a.login, i ->> 'vendor'),
                           jsonb_build_object('login', a.login, 'vendor', a.vendor, 'named', i ->> 'vendor'));
        END IF;
        RETURN jsonb_build_object('vendor', a.vendor);
    END IF;
    IF NOT i ? 'vendor' THEN
        PERFORM refuse('DW400', 'error.quote_needs_vendor', 'recording a quote for a vendor needs the vendor',
                       jsonb_build_object('invited', 'words:' || coalesce((SELECT string_agg(vendor, ',' ORDER BY vendor) FROM invitation
                                                                           WHERE request_id = r.id), '')));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION step_invited(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM invitation WHERE request_id = r.id AND vendor = i ->> 'vendor') THEN
        PERFORM refuse('DW422', 'error.not_invited', format('vendor %s was not invited to quote for %s', i ->> 'vendor', r.id),
                       jsonb_build_object('vendor', i ->> 'vendor', 'request', r.id));
    END IF;
    RETURN NULL;
END
$$;

-- Framework rates are maximum rates: a quote's price is at most its hours at the contract's rate.
CREATE FUNCTION step_within_rate(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    c contract := contract_on(i ->> 'vendor', d, false);
    v_most numeric := round((i ->> 'hours')::numeric * c.hourly_rate, 2);
BEGIN
    IF (i ->> 'price')::numeric > v_most THEN
        PERFORM refuse('DW422', 'error.over_rate', format('price %s EUR is more than %s h at the contract''s %s EUR an hour (%s EUR)',
                                                          i ->> 'price', i ->> 'hours', c.hourly_rate, v_most),
                       jsonb_build_object('price', (i ->> 'price'), 'hours', i ->> 'hours', 'rate', c.hourly_rate,
                                          'most', v_most, 'contract', c.number));
    END IF;
    RETURN NULL;
END
$$;

-- The vendor ordered from has quoted; its price is the order's.
CREATE FUNCTION step_quoted(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    q quote;
    v_quoted text;
BEGIN
    SELECT * INTO q FROM quote WHERE request_id = r.id AND vendor = i ->> 'vendor';
    IF q.vendor IS NULL THEN
        SELECT string_agg(vendor, ',' ORDER BY vendor) INTO v_quoted FROM quote WHERE request_id = r.id;
        PERFORM refuse('DW422', CASE WHEN v_quoted IS NULL THEN 'error.not_quoted' ELSE 'error.not_quoted_others' END,
                       format('vendor %s has not quoted for %s', i ->> 'vendor', r.id),
                       jsonb_build_object('vendor', i ->> 'vendor', 'request', r.id, 'quoted', 'words:' || coalesce(v_quoted, '')));
    END IF;
    RETURN jsonb_build_object('price', q.price);
END
$$;

-- A contract valid on the order date; locked, so two orders cannot both spend the last of its cap.
-- Every order locks its contract first, then its budget.
CREATE FUNCTION step_contract_on_order_date(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT jsonb_build_object('contract', (contract_on(i ->> 'vendor', d, true)).number)
$$;

CREATE FUNCTION step_cap_left(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    c contract;
BEGIN
    SELECT * INTO c FROM contract WHERE number = i ->> 'contract';
    IF (i ->> 'price')::numeric > c.cap - c.used THEN
        PERFORM refuse('DW422', 'error.over_cap', format('price %s EUR exceeds what is left of contract %s (%s of %s EUR)',
                                                         i ->> 'price', c.number, c.cap - c.used, c.cap),
                       jsonb_build_object('price', (i ->> 'price'), 'contract', c.number, 'left', (c.cap - c.used),
                                          'cap', c.cap));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION step_budget_left(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    b budget;
    v_year integer := extract(year FROM d)::integer;
BEGIN
    SELECT * INTO b FROM budget WHERE system = r.system AND year = v_year FOR UPDATE;
    IF b.system IS NULL THEN
        PERFORM refuse('DW422', 'error.no_budget', format('%s has no budget for %s', r.system, v_year),
                       jsonb_build_object('system', r.system, 'year', v_year));
    END IF;
    IF (i ->> 'price')::numeric > b.amount - b.used THEN
        PERFORM refuse('DW422', 'error.over_budget', format('price %s EUR exceeds the budget left for %s in %s (%s of %s EUR)',
                                                            i ->> 'price', r.system, v_year, b.amount - b.used, b.amount),
                       jsonb_build_object('price', (i ->> 'price'), 'system', r.system, 'year', v_year,
                                          'left', (b.amount - b.used), 'amount', b.amount));
    END IF;
    RETURN NULL;
END
$$;

-- An order's deadline is the quote's delivery date unless one is given.
CREATE FUNCTION step_deadline_default(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT CASE WHEN i ? 'deadline' THEN NULL
                ELSE jsonb_build_object('deadline', (SELECT delivery FROM quote WHERE request_id = r.id AND vendor = i ->> 'vendor')) END
$$;

-- Who delivers: the ordered vendor, by its own user or recorded by staff.
CREATE FUNCTION step_delivering_vendor(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_ordered text := (SELECT vendor FROM purchase_order WHERE request_id = r.id);
BEGIN
    IF a.role = 'vendor' AND i ? 'vendor' AND i ->> 'vendor' <> a.vendor THEN
        PERFORM refuse('DW403', 'error.other_vendor', format('%s may not act for vendor %s', a.login, i ->> 'vendor'),
                       jsonb_build_object('login', a.login, 'vendor', a.vendor, 'named', i ->> 'vendor'));
    END IF;
    IF i ? 'vendor' AND i ->> 'vendor' IS DISTINCT FROM v_ordered THEN
        PERFORM refuse('DW422', 'error.ordered_from_other', format('%s was ordered from %s, not %s', r.id, v_ordered, i ->> 'vendor'),
                       jsonb_build_object('request', r.id, 'vendor', v_ordered, 'named', i ->> 'vendor'));
    END IF;
    RETURN jsonb_build_object('vendor', v_ordered);
END
$$;

-- Effects ----------------------------------------------------------------------------------------

CREATE FUNCTION step_set_priority(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request SET priority = (i ->> 'priority')::smallint WHERE id = r.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION step_invite(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invitation (request_id, vendor, due)
    SELECT r.id, v, (i ->> 'due')::date FROM jsonb_array_elements_text(i -> 'vendors') v
    ON CONFLICT (request_id, vendor) DO UPDATE SET due = EXCLUDED.due;
    UPDATE request SET quote_due = greatest(coalesce(quote_due, (i ->> 'due')::date), (i ->> 'due')::date) WHERE id = r.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION step_record_quote(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO quote (request_id, vendor, hours, price, delivery, quoted_by)
    VALUES (r.id, i ->> 'vendor', (i ->> 'hours')::numeric, (i ->> 'price')::numeric, (i ->> 'delivery')::date, a.login)
    ON CONFLICT (request_id, vendor) DO UPDATE
        SET hours = EXCLUDED.hours, price = EXCLUDED.price, delivery = EXCLUDED.delivery, quoted_at = now(), quoted_by = EXCLUDED.quoted_by;
    RETURN NULL;
END
$$;

-- Numbers the order (ORD-YYYY-NNNN, per year) and spends its price from the contract's cap and
-- the system's budget: the running totals the guards read.
CREATE FUNCTION step_place_order(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_year integer := extract(year FROM d)::integer;
    v_counter integer;
    v_number text;
    v_price numeric := (i ->> 'price')::numeric;
    v_contract bigint;
BEGIN
    UPDATE contract SET used = used + v_price WHERE number = i ->> 'contract' RETURNING id INTO v_contract;
    UPDATE budget SET used = used + v_price WHERE system = r.system AND year = v_year;
    INSERT INTO order_counter (year, last) VALUES (v_year, 1)
    ON CONFLICT (year) DO UPDATE SET last = order_counter.last + 1
    RETURNING last INTO v_counter;
    v_number := format('ORD-%s-%s', v_year, lpad(v_counter::text, 4, '0'));
    INSERT INTO purchase_order (number, request_id, vendor, contract_id, price, order_date, deadline)
    VALUES (v_number, r.id, i ->> 'vendor', v_contract, v_price, d, (i ->> 'deadline')::date);
    RETURN jsonb_build_object('order', v_number);
END
$$;

CREATE FUNCTION step_record_delivery(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE purchase_order SET delivered_at = now(), delivery_note = i ->> 'note' WHERE request_id = r.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION step_record_acceptance(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE purchase_order SET accepted_at = now() WHERE request_id = r.id;
    RETURN NULL;
END
$$;

-- Not delivered any more: the order waits for a new delivery, by a new deadline when one is given.
CREATE FUNCTION step_record_return(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE purchase_order SET returns = returns + 1, deadline = coalesce((i ->> 'deadline')::date, deadline), delivered_at = NULL
    WHERE request_id = r.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION step_record_release(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE purchase_order SET released_at = now(), release_version = i ->> 'version_name' WHERE request_id = r.id;
    RETURN NULL;
END
$$;

-- A cancelled order gives its price back to the contract's cap and the budget of its year
-- (locked in the order every order locks them: contract, then budget).
CREATE FUNCTION step_cancel_order(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    o purchase_order;
BEGIN
    UPDATE purchase_order SET cancelled_at = now() WHERE request_id = r.id AND cancelled_at IS NULL RETURNING * INTO o;
    IF o.number IS NOT NULL THEN
        UPDATE contract SET used = used - o.price WHERE id = o.contract_id;
        UPDATE budget SET used = used - o.price WHERE system = r.system AND year = extract(year FROM o.order_date)::integer;
    END IF;
    RETURN NULL;
END
$$;

-- Calls a guard or an effect by the name the definition gives it (the steps of this migration
-- directly, those added later through run_added_step).
CREATE FUNCTION run_step(p_step text, r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    CASE p_step
    WHEN 'vendors_contracted' THEN RETURN step_vendors_contracted(r, a, i, d);
    WHEN 'quote_due_default' THEN RETURN step_quote_due_default(r, a, i, d);
    WHEN 'quoting_vendor' THEN RETURN step_quoting_vendor(r, a, i, d);
    WHEN 'invited' THEN RETURN step_invited(r, a, i, d);
    WHEN 'within_rate' THEN RETURN step_within_rate(r, a, i, d);
    WHEN 'quoted' THEN RETURN step_quoted(r, a, i, d);
    WHEN 'contract_on_order_date' THEN RETURN step_contract_on_order_date(r, a, i, d);
    WHEN 'cap_left' THEN RETURN step_cap_left(r, a, i, d);
    WHEN 'budget_left' THEN RETURN step_budget_left(r, a, i, d);
    WHEN 'deadline_default' THEN RETURN step_deadline_default(r, a, i, d);
    WHEN 'delivering_vendor' THEN RETURN step_delivering_vendor(r, a, i, d);
    WHEN 'set_priority' THEN RETURN step_set_priority(r, a, i, d);
    WHEN 'invite' THEN RETURN step_invite(r, a, i, d);
    WHEN 'record_quote' THEN RETURN step_record_quote(r, a, i, d);
    WHEN 'place_order' THEN RETURN step_place_order(r, a, i, d);
    WHEN 'record_delivery' THEN RETURN step_record_delivery(r, a, i, d);
    WHEN 'record_acceptance' THEN RETURN step_record_acceptance(r, a, i, d);
    WHEN 'record_return' THEN RETURN step_record_return(r, a, i, d);
    WHEN 'record_release' THEN RETURN step_record_release(r, a, i, d);
    WHEN 'cancel_order' THEN RETURN step_cancel_order(r, a, i, d);
    ELSE
        -- A step a later migration added (its function step_<name> and its workflow_step row):
        -- called by its name, without this function having to be replaced.
        RETURN run_added_step(p_step, r, a, i, d);
    END CASE;
END
$$;

CREATE FUNCTION run_added_step(p_step text, r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_result jsonb;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM workflow_step WHERE name = p_step) THEN
        RAISE EXCEPTION 'workflow step % has no row in workflow_step', p_step;
    END IF;
    EXECUTE format('SELECT workflow.%I($1, $2, $3, $4)', 'step_' || p_step) INTO v_result USING r, a, i, d;
    RETURN v_result;
END
$$;

-- Notifications ---------------------------------------------------------------------------------

-- Who hears of something about a request, one row per message, each with the part they play
-- (the text is written for it): the system's product owners; the vendors named, those still
-- quoting (before an order), or the ordered one; the requester when a known person; the admins.
-- A vendor gets one message, to its first person, copying its other people and the company's
-- address (to the company alone when it has no people). `key` keeps each message once.
DROP FUNCTION recipients(text, text[], text[]);
CREATE FUNCTION recipients(p_request text, p_audiences text[], p_vendors text[] DEFAULT '{}', p_from_state text DEFAULT NULL)
RETURNS TABLE (email text, name text, lang text, audience text, cc text[], key text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_vendors text[];
    v_audience text;
BEGIN
    IF 'system_owners' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang, 'system_owner', '{}'::text[], lower(p.email)
                     FROM workflow.request r JOIN workflow.person_system ps ON ps.system = r.system JOIN workflow.person p ON p.login = ps.login
                     WHERE r.id = p_request AND p.role = 'product_owner';
    END IF;
    -- The vendors this step concerns, each heard once, as the first part it plays here.
    IF 'invited_vendors' = ANY (p_audiences) AND cardinality(p_vendors) > 0 THEN
        v_vendors := p_vendors;
        v_audience := 'invited_vendor';
    ELSIF 'ordered_vendor' = ANY (p_audiences) THEN
        v_vendors := ARRAY(SELECT o.vendor FROM workflow.purchase_order o WHERE o.request_id = p_request);
        v_audience := 'ordered_vendor';
    END IF;
    IF v_vendors IS NOT NULL THEN
        RETURN QUERY SELECT * FROM workflow.vendor_recipients(v_vendors, v_audience);
    END IF;
    -- Vendors still quoting when the quoting ends (an order to another vendor, a cancellation).
    IF 'quoting_vendors' = ANY (p_audiences) AND p_from_state IN ('quote_requested', 'quoted') THEN
        RETURN QUERY SELECT * FROM workflow.vendor_recipients(ARRAY(
            SELECT i.vendor FROM workflow.invitation i WHERE i.request_id = p_request
              AND NOT EXISTS (SELECT 1 FROM workflow.purchase_order o WHERE o.request_id = p_request AND o.vendor = i.vendor)), 'quoting_vendor');
    END IF;
    IF 'requester' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang, 'requester', '{}'::text[], lower(p.email)
                     FROM workflow.request r JOIN workflow.person p ON p.login = r.requester_login WHERE r.id = p_request;
    END IF;
    IF 'admins' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang, 'admin', '{}'::text[], lower(p.email) FROM workflow.person p WHERE p.role = 'admin';
    END IF;
END
$$;

-- A vendor's message: to its first person, copying its other people and the company's address
-- (to the company alone when it has no people). PL/pgSQL, so its plan is kept for the session.
CREATE FUNCTION vendor_recipients(p_vendors text[], p_audience text)
RETURNS TABLE (email text, name text, lang text, audience text, cc text[], key text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT coalesce(p.emails[1], v.email), coalesce(p.names[1], v.name), coalesce(p.langs[1], v.lang), p_audience,
           CASE WHEN p.emails IS NULL THEN '{}' ELSE p.emails[2:] || v.email END, 'vendor:' || lower(v.key)
    FROM workflow.vendor v
    LEFT JOIN LATERAL (SELECT array_agg(x.email ORDER BY x.login) AS emails, array_agg(x.name ORDER BY x.login) AS names,
                              array_agg(x.lang ORDER BY x.login) AS langs
                       FROM workflow.person x WHERE x.vendor = v.key) p ON true
    WHERE v.key = ANY (p_vendors);
END
$$;

-- Queues the messages of an event: one per recipient, never to the person who acted (nor to the
-- admin acting for them). A vendor that lost the quoting or whose quote a cancellation ends
-- hears the reason, not who won or at what price. Wakes workflowd unless the session wakes it
-- after its commit (0005).
CREATE FUNCTION notify_event(p_event bigint, r request, a person, p_by text, p_transition text, p_from text, p_to text,
                             p_version integer, i jsonb, p_audiences text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_skip text[] := CASE WHEN p_by = a.login THEN ARRAY[lower(a.email)]
                          ELSE ARRAY[lower(a.email), (SELECT lower(email) FROM workflow.person WHERE login = p_by)] END;
BEGIN
    INSERT INTO workflow.outbox (kind, request_id, event_id, transition, recipient, recipient_name, lang, cc, payload, idempotency_key)
    SELECT 'notification', r.id, p_event, p_transition, d.email, d.name, d.lang,
           CASE WHEN d.cc = '{}' THEN d.cc ELSE ARRAY(SELECT c FROM unnest(d.cc) c WHERE NOT lower(c) = ANY (v_skip)) END,
           jsonb_build_object('request', r.id, 'system', r.system, 'title', r.title, 'transition', p_transition,
                              'from', p_from, 'to', p_to, 'actor', a.login, 'actor_name', a.name, 'audience', d.audience,
                              'at', now(), 'version', p_version,
                              'inputs', CASE WHEN d.audience = 'quoting_vendor' THEN jsonb_strip_nulls(jsonb_build_object('reason', i -> 'reason'))
                                             ELSE i - 'vendors' END),
           'notification:' || coalesce(p_event::text, p_transition || ':' || r.id) || ':' || d.key
    FROM workflow.recipients(r.id, p_audiences, CASE WHEN i ? 'vendors' THEN ARRAY(SELECT jsonb_array_elements_text(i -> 'vendors')) ELSE '{}' END,
                             p_from) d
    WHERE NOT lower(d.email) = ANY (v_skip)
    ON CONFLICT (idempotency_key) DO NOTHING;
    IF FOUND AND current_setting('devworkflow.wake_after_commit', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('devworkflow_outbox', '');
    END IF;
END
$$;

-- Moving a request ------------------------------------------------------------------------------

-- The person acting: the login's, or for an admin the one named by devworkflow.act_as.
CREATE FUNCTION actor() RETURNS person
LANGUAGE plpgsql STABLE AS $$
DECLARE
    a person;
    v_as text := current_setting('devworkflow.act_as', true);
BEGIN
    SELECT * INTO a FROM workflow.person p WHERE p.login = session_user;
    IF a.login IS NULL OR (v_as IS NOT NULL AND v_as <> '' AND v_as <> a.login) THEN
        SELECT (x.person).* INTO a FROM acting_person() x;
    END IF;
    RETURN a;
END
$$;

-- Writes the step: the new state and version, the event, its messages.
CREATE FUNCTION record_step(r request, a person, t workflow_transition, i jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_event bigint;
BEGIN
    WITH moved AS (
        UPDATE request SET state = t.to_state, version = r.version + 1, state_since = now() WHERE id = r.id
        RETURNING id, version
    )
    INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, inputs, audience)
    SELECT moved.id, moved.version, t.name, r.state, t.to_state, a.login, session_user, i,
           CASE t.audience WHEN 'all' THEN '*' WHEN 'vendor' THEN i ->> 'vendor' END
    FROM moved
    RETURNING id INTO v_event;
    IF cardinality(t.notify) > 0 THEN
        PERFORM notify_event(v_event, r, a, session_user, t.name, r.state, t.to_state, r.version + 1, i, t.notify);
    END IF;
    RETURN v_event;
END
$$;

-- The one way to move a request, whoever calls it: the acting person; the request (locked, and
-- visible to them); the version they saw; the transition from its state; whether they may take
-- it; its inputs; its guards and effects in the definition's order; then the step is written.
-- Returns the request, its new version and state, the event and the order number.
CREATE OR REPLACE FUNCTION move(p_request text, p_transition text, p_expected_version integer, p_inputs jsonb)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    a person := actor();
    d date := (now() AT TIME ZONE 'Europe/Tallinn')::date;
    r request;
    t workflow_transition;
    i jsonb;
    v_step text;
    v_refusal jsonb;
    v_event bigint;
BEGIN
    r := visible_request(p_request, a, true);
    IF p_expected_version IS NOT NULL AND p_expected_version <> r.version THEN
        PERFORM refuse('DW409', 'error.changed', format('%s changed since version %s (it is now version %s, %s): reload and retry',
                                                        r.id, p_expected_version, r.version, r.state),
                       jsonb_build_object('request', r.id, 'expected', p_expected_version, 'version', r.version, 'state', 'state:' || r.state));
    END IF;
    t := transition_now(r, p_transition);
    v_refusal := permission_refusal(r, a, t);
    IF v_refusal IS NOT NULL THEN
        PERFORM refuse('DW403', 'error.may_not', format('%s (%s) may not %s %s', a.login, a.role, t.name, r.id), v_refusal);
    END IF;
    i := checked_inputs(t, p_inputs, d);
    FOREACH v_step IN ARRAY t.guards || t.effects LOOP
        i := i || coalesce(run_step(v_step, r, a, i, d), '{}');
    END LOOP;
    v_event := record_step(r, a, t, i);
    RETURN jsonb_build_object('request', r.id, 'version', r.version + 1, 'state', t.to_state, 'from', r.state,
                              'event', v_event, 'order', i ->> 'order', 'inputs', i);
END
$$;

-- What the acting person may do with a request now: each transition from its state, and why not
-- when not (the same refusal move() gives), with the inputs it takes and the guards it runs.
CREATE FUNCTION transitions(p_request text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
BEGIN
    RETURN jsonb_build_object('request', r.id, 'state', r.state, 'version', r.version, 'definition', r.definition,
        'transitions', coalesce((SELECT jsonb_agg(jsonb_build_object('name', t.name, 'to', t.to_state, 'refusal', permission_refusal(r, a, t),
                                                                    'required', t.required, 'optional', t.optional, 'guards', t.guards)
                                                  ORDER BY t.position)
                                 FROM workflow_transition t WHERE t.definition = r.definition AND t.from_state = r.state), '[]'));
END
$$;

-- The definition, for drawing and explaining (the same for everyone).
CREATE FUNCTION definition(p_name text DEFAULT 'small_development') RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v jsonb;
BEGIN
    SELECT jsonb_build_object('name', d.name, 'start', d.start_state,
        'states', (SELECT jsonb_agg(jsonb_build_object('name', s.name, 'final', s.is_final) ORDER BY s.position)
                   FROM workflow_state s WHERE s.definition = d.name),
        'transitions', (SELECT jsonb_agg(jsonb_build_object('name', t.name, 'from', t.froms, 'to', t.to_state, 'actors', t.actors,
                                                            'required', t.required, 'optional', t.optional, 'guards', t.guards,
                                                            'effects', t.effects, 'notify', t.notify) ORDER BY t.position)
                        FROM (SELECT f.name, f.position, f.froms, f.to_state, x.actors, x.required, x.optional, x.guards, x.effects, x.notify
                              FROM (SELECT name, min(position) AS position, array_agg(from_state ORDER BY from_state) AS froms,
                                           -- NULL: the transition stays in the state it leaves (invite)
                                           CASE WHEN bool_and(to_state = from_state) THEN NULL ELSE min(to_state) END AS to_state
                                    FROM workflow_transition WHERE definition = d.name GROUP BY name) f
                              CROSS JOIN LATERAL (SELECT * FROM workflow_transition w WHERE w.definition = d.name AND w.name = f.name
                                                  ORDER BY w.from_state LIMIT 1) x) t))
    INTO v FROM workflow_definition d WHERE d.name = p_name;
    IF v IS NULL THEN
        PERFORM refuse('DW404', 'error.no_definition', format('no workflow definition %s', p_name),
                       jsonb_build_object('name', p_name, 'known', 'words:' || (SELECT string_agg(name, ',' ORDER BY name) FROM workflow_definition)));
    END IF;
    RETURN v;
END
$$;

-- The check that a version's event exists runs at commit, as the session's own login, which
-- holds no privilege on the tables: it runs as their owner.
ALTER FUNCTION request_history_complete() SECURITY DEFINER SET search_path = workflow, pg_temp;

-- A state change the definition does not allow cannot be written, not even by hand.
CREATE OR REPLACE FUNCTION request_before_update() RETURNS trigger
LANGUAGE plpgsql SET search_path = workflow, pg_temp AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.system <> OLD.system OR NEW.number <> OLD.number OR NEW.created_by <> OLD.created_by
       OR NEW.definition <> OLD.definition THEN
        PERFORM refuse('DW422', 'error.identity', 'a request''s identity cannot change');
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state
       AND NOT EXISTS (SELECT 1 FROM workflow_transition
                       WHERE definition = OLD.definition AND from_state = OLD.state AND to_state = NEW.state) THEN
        PERFORM refuse('DW422', 'error.state_change', format('the workflow does not allow %s to go from %s to %s', OLD.id, OLD.state, NEW.state),
                       jsonb_build_object('request', OLD.id, 'from', 'state:' || OLD.state, 'to', 'state:' || NEW.state));
    END IF;
    IF (NEW.state IS DISTINCT FROM OLD.state OR NEW.version <> OLD.version) AND NEW.version <> OLD.version + 1 THEN
        PERFORM refuse('DW422', 'error.version_step', format('%s: a change must advance the version by one', OLD.id),
                       jsonb_build_object('request', OLD.id));
    END IF;
    RETURN NEW;
END
$$;

-- Proposing ---------------------------------------------------------------------------------------
-- Requests are proposed through these functions only (no login may INSERT): there is no session
-- setting that changes what they do.

DROP TRIGGER request_numbered ON request;
DROP TRIGGER request_proposed ON request;
DROP FUNCTION request_before_insert();
DROP FUNCTION request_after_insert();
DROP FUNCTION enqueue_notifications(bigint, text[]);
DROP TRIGGER comment_authored ON comment;
DROP FUNCTION comment_before_insert();

-- What is wrong with a text a person gave (the refusal's DETAIL), or NULL: checked the way the
-- table's constraints would, with words for people.
CREATE FUNCTION text_problem(p_what text, p_text text, p_limit integer, p_required boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_required AND coalesce(btrim(p_text), '') = '' THEN jsonb_build_object('key', 'error.' || p_what || '_empty')
        WHEN length(p_text) > p_limit THEN jsonb_build_object('key', 'error.too_long', 'what', 'message:word.' || p_what, 'limit', p_limit)
    END
$$;

CREATE FUNCTION checked_text(p_what text, p_text text, p_limit integer, p_required boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_problem jsonb := text_problem(p_what, p_text, p_limit, p_required);
BEGIN
    IF v_problem IS NOT NULL THEN
        PERFORM refuse('DW422', v_problem ->> 'key', format('the %s is empty or longer than %s characters', p_what, p_limit), v_problem);
    END IF;
    RETURN CASE WHEN p_required THEN btrim(p_text) ELSE p_text END;
END
$$;

-- Who may propose in a system, and the system locked for numbering.
CREATE FUNCTION proposer(p_system text) RETURNS person
LANGUAGE plpgsql AS $$
DECLARE
    a person := actor();
BEGIN
    IF a.role NOT IN ('admin', 'product_owner', 'requester') THEN
        PERFORM refuse('DW403', 'error.vendor_proposes', format('%s is a vendor user and may not propose requests', a.login),
                       jsonb_build_object('login', a.login));
    END IF;
    PERFORM 1 FROM system WHERE key = p_system FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM refuse('DW404', 'error.no_system', format('no system %s', p_system), jsonb_build_object('system', p_system));
    END IF;
    RETURN a;
END
$$;

-- Stores one request and its first event; the caller has locked the system (proposer()).
CREATE FUNCTION new_request(p_system text, p_title text, p_description text, p_requester text, a person) RETURNS request
LANGUAGE plpgsql AS $$
DECLARE
    r request;
    v_requester text := coalesce(nullif(btrim(checked_text('requester', p_requester, 200, false)), ''), a.login);
BEGIN
    INSERT INTO request (id, system, number, title, description, requester, requester_login, created_by, state, version, definition)
    SELECT p_system || '-' || n, p_system, n, checked_text('title', p_title, 300, true),
           coalesce(checked_text('description', p_description, 20000, false), ''), v_requester,
           -- The requester hears of the request: only a person who is not a vendor's user.
           (SELECT login FROM person WHERE (login = v_requester OR lower(email) = lower(v_requester)) AND role <> 'vendor'
            ORDER BY login = v_requester DESC LIMIT 1),
           a.login, 'proposed', 1, 'small_development'
    FROM (SELECT coalesce(max(number), 0) + 1 AS n FROM request WHERE system = p_system) m
    RETURNING * INTO r;
    INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, at, inputs, audience)
    VALUES (r.id, 1, 'propose', NULL, 'proposed', a.login, session_user, r.created_at, jsonb_build_object('title', r.title), '*');
    RETURN r;
END
$$;

-- Proposes a request; its system's product owners hear of it. Returns its id and version.
CREATE FUNCTION propose(p_system text, p_title text, p_description text DEFAULT '', p_requester text DEFAULT NULL)
RETURNS TABLE (id text, version integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := proposer(p_system);
    r request := new_request(p_system, p_title, p_description, p_requester, a);
BEGIN
    PERFORM notify_event((SELECT e.id FROM event e WHERE e.request_id = r.id AND e.seq = 1), r, a, session_user, 'propose', NULL, 'proposed',
                         1, jsonb_build_object('title', r.title), ARRAY['system_owners']);
    RETURN QUERY SELECT r.id, r.version;
END
$$;

-- Proposes a backlog, a batch of rows at a time within the caller's transaction (all rows or
-- none): p_rows is [{"line": N, "title": …, "description": …, "requester": …}, …]. A backlog is
-- not news: nobody hears of each row; the product owners hear of the import once, when the
-- caller says it is done (import_done).
CREATE FUNCTION propose_many(p_system text, p_rows jsonb)
RETURNS TABLE (first text, last text, count integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := proposer(p_system);
    r request;
    v_row jsonb;
    v_first text;
    v_count integer := 0;
    v_problem jsonb;
BEGIN
    IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' OR jsonb_array_length(p_rows) > 10000 THEN
        PERFORM refuse('DW422', 'error.batch_too_large', 'a list of at most 10000 rows in one call');
    END IF;
    FOR v_row IN SELECT jsonb_array_elements(p_rows) LOOP
        -- Checked before the insert, so a bad line is named without a subtransaction per row.
        v_problem := coalesce(text_problem('title', v_row ->> 'title', 300, true),
                              text_problem('description', v_row ->> 'description', 20000, false),
                              text_problem('requester', v_row ->> 'requester', 200, false));
        IF v_problem IS NOT NULL THEN
            PERFORM refuse('DW422', 'error.import_line', format('line %s: %s', v_row ->> 'line', v_problem ->> 'key'),
                           jsonb_build_object('line', v_row ->> 'line', 'problem', 'detail:' || v_problem::text));
        END IF;
        r := new_request(p_system, v_row ->> 'title', v_row ->> 'description', v_row ->> 'requester', a);
        v_first := coalesce(v_first, r.id);
        v_count := v_count + 1;
    END LOOP;
    RETURN QUERY SELECT v_first, r.id, v_count;
END
$$;

-- Tells the system's product owners once that a backlog was imported.
CREATE FUNCTION import_done(p_system text, p_first text, p_last text, p_count integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := proposer(p_system);
    r request;
BEGIN
    SELECT * INTO r FROM request WHERE id = p_first AND created_by = a.login;
    IF r.id IS NULL OR p_count < 1 THEN
        RETURN;
    END IF;
    PERFORM notify_event(NULL, r, a, session_user, 'import', NULL, NULL, 1,
                         jsonb_build_object('count', p_count, 'first', p_first, 'last', p_last), ARRAY['system_owners']);
END
$$;

-- Comments: staff on any request, a vendor's users on requests their vendor sees. Staff may keep
-- a comment internal (not for vendors).
CREATE FUNCTION add_comment(p_request text, p_body text, p_internal boolean DEFAULT false) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
    v_id bigint;
BEGIN
    IF p_internal AND a.role = 'vendor' THEN
        PERFORM refuse('DW403', 'error.internal_for_staff', 'only staff may write internal comments');
    END IF;
    INSERT INTO comment (request_id, author, by_login, author_vendor, body, internal)
    VALUES (r.id, a.login, session_user, a.vendor, checked_text('comment', p_body, 10000, true), coalesce(p_internal, false))
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- Administration ----------------------------------------------------------------------------------
-- Admins change systems, vendors, contracts, budgets, people and closures through these
-- functions only; each checks its values once, here, with the catalogue's words.

CREATE FUNCTION require_admin() RETURNS person
LANGUAGE plpgsql AS $$
DECLARE
    a person := actor();
BEGIN
    IF a.role <> 'admin' THEN
        PERFORM refuse('DW403', 'error.admins_only', 'only admins may do this');
    END IF;
    RETURN a;
END
$$;

CREATE FUNCTION checked_key(p_what text, p_key text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_key IS NULL OR p_key !~ '^[A-Z][A-Z0-9_]{0,19}$' THEN
        PERFORM refuse('DW422', 'error.key_format', format('invalid %s key %s', p_what, left(p_key, 40)),
                       jsonb_build_object('what', 'message:word.' || p_what, 'value', left(p_key, 40)));
    END IF;
    RETURN p_key;
END
$$;

CREATE FUNCTION checked_name(p_what text, p_name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF coalesce(btrim(p_name), '') = '' OR length(p_name) > 200 THEN
        PERFORM refuse('DW422', 'error.name_length', format('the %s name must be 1 to 200 characters', p_what),
                       jsonb_build_object('what', 'message:word.' || p_what));
    END IF;
    RETURN btrim(p_name);
END
$$;

CREATE FUNCTION checked_email(p_email text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_email IS NULL OR p_email !~ '^[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]$' OR length(p_email) > 254 THEN
        PERFORM refuse('DW422', 'error.email_format', format('invalid e-mail address %s', left(p_email, 60)),
                       jsonb_build_object('value', left(p_email, 60)));
    END IF;
    RETURN p_email;
END
$$;

CREATE FUNCTION checked_lang(p_lang text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_lang IS NULL OR p_lang NOT IN ('et', 'en') THEN
        PERFORM refuse('DW422', 'error.language', format('language %s: expected et or en', left(p_lang, 20)),
                       jsonb_build_object('value', left(p_lang, 20)));
    END IF;
    RETURN p_lang;
END
$$;

CREATE FUNCTION checked_amount(p_what text, p_amount numeric, p_zero_ok boolean) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_amount IS NULL OR p_amount < 0 OR (p_amount = 0 AND NOT p_zero_ok) OR p_amount <> round(p_amount, 2) THEN
        PERFORM refuse('DW422', 'error.amount_positive', format('the %s must be %s 0, in cents', p_what, CASE WHEN p_zero_ok THEN 'at least' ELSE 'more than' END),
                       jsonb_build_object('what', 'message:word.' || p_what, 'value', p_amount::text));
    END IF;
    IF p_amount > 999999999999.99 THEN
        PERFORM refuse('DW422', 'error.amount_too_large', format('%s %s is too large: at most 999999999999.99', p_what, p_amount),
                       jsonb_build_object('value', p_amount::text, 'largest', '999999999999.99'));
    END IF;
    RETURN p_amount;
END
$$;

CREATE FUNCTION checked_date(p_what text, p_date date) RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_date IS NULL OR p_date NOT BETWEEN '2000-01-01' AND '2100-12-31' THEN
        PERFORM refuse('DW422', 'error.date_range', format('%s %s is outside 2000-01-01 to 2100-12-31', p_what, p_date),
                       jsonb_build_object('what', 'message:word.' || p_what, 'date', coalesce(p_date::text, '-')));
    END IF;
    RETURN p_date;
END
$$;

CREATE FUNCTION add_system(p_key text, p_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_admin();
    INSERT INTO system (key, name) VALUES (checked_key('system', p_key), checked_name('system', p_name))
    ON CONFLICT (key) DO NOTHING;
    IF NOT FOUND THEN
        PERFORM refuse('DW422', 'error.exists_system', format('system %s already exists', p_key), jsonb_build_object('name', p_key));
    END IF;
END
$$;

CREATE FUNCTION add_vendor(p_key text, p_name text, p_email text, p_lang text DEFAULT 'et') RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_admin();
    INSERT INTO vendor (key, name, email, lang)
    VALUES (checked_key('vendor', p_key), checked_name('vendor', p_name), checked_email(p_email), checked_lang(p_lang))
    ON CONFLICT (key) DO NOTHING;
    IF NOT FOUND THEN
        PERFORM refuse('DW422', 'error.exists_vendor', format('vendor %s already exists', p_key), jsonb_build_object('name', p_key));
    END IF;
END
$$;

-- A vendor's contracts may not overlap: on any day one contract (its rate and cap) applies.
CREATE FUNCTION add_contract(p_vendor text, p_number text, p_from date, p_to date, p_rate numeric, p_cap numeric) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    c contract;
BEGIN
    PERFORM require_admin();
    PERFORM 1 FROM vendor WHERE key = p_vendor FOR UPDATE;   -- one contract of a vendor at a time
    IF NOT FOUND THEN
        PERFORM refuse('DW404', 'error.no_vendor', format('no vendor %s', p_vendor), jsonb_build_object('vendor', left(p_vendor, 40)));
    END IF;
    IF coalesce(btrim(p_number), '') = '' OR length(p_number) > 100 THEN
        PERFORM refuse('DW422', 'error.contract_number', 'a contract number must be 1 to 100 characters');
    END IF;
    PERFORM checked_date('valid_from', p_from), checked_date('valid_to', p_to);
    IF p_to < p_from THEN
        PERFORM refuse('DW422', 'error.contract_period', format('the contract ends (%s) before it starts (%s)', p_to, p_from),
                       jsonb_build_object('from', p_from, 'to', p_to));
    END IF;
    PERFORM checked_amount('rate', p_rate, false), checked_amount('cap', p_cap, false);
    SELECT * INTO c FROM contract WHERE vendor = p_vendor AND valid_from <= p_to AND p_from <= valid_to ORDER BY valid_from LIMIT 1;
    IF c.id IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.contract_overlap', format('contract %s of %s runs %s to %s, which overlaps', c.number, p_vendor, c.valid_from, c.valid_to),
                       jsonb_build_object('vendor', p_vendor, 'contract', c.number, 'from', c.valid_from, 'to', c.valid_to));
    END IF;
    INSERT INTO contract (vendor, number, valid_from, valid_to, hourly_rate, cap)
    VALUES (p_vendor, btrim(p_number), p_from, p_to, p_rate, p_cap)
    ON CONFLICT (number) DO NOTHING;
    IF NOT FOUND THEN
        PERFORM refuse('DW422', 'error.exists_contract', format('contract %s already exists', p_number), jsonb_build_object('name', p_number));
    END IF;
END
$$;

-- A budget may not be set below what its orders have already committed.
CREATE FUNCTION set_budget(p_system text, p_year integer, p_amount numeric) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    b budget;
BEGIN
    PERFORM require_admin();
    IF NOT EXISTS (SELECT 1 FROM system WHERE key = p_system) THEN
        PERFORM refuse('DW404', 'error.no_system', format('no system %s', p_system), jsonb_build_object('system', left(p_system, 40)));
    END IF;
    IF p_year IS NULL OR p_year NOT BETWEEN 2000 AND 2100 THEN
        PERFORM refuse('DW422', 'error.year_range', format('year %s is out of range', p_year), jsonb_build_object('year', p_year));
    END IF;
    PERFORM checked_amount('budget', p_amount, true);
    INSERT INTO budget (system, year, amount) VALUES (p_system, p_year, 0) ON CONFLICT (system, year) DO NOTHING;
    SELECT * INTO b FROM budget WHERE system = p_system AND year = p_year FOR UPDATE;
    IF p_amount < b.used THEN
        PERFORM refuse('DW422', 'error.budget_below_committed',
                       format('%s EUR is less than the %s EUR already committed to orders of %s in %s', p_amount, b.used, p_system, p_year),
                       jsonb_build_object('amount', p_amount, 'committed', b.used, 'system', p_system, 'year', p_year));
    END IF;
    UPDATE budget SET amount = p_amount WHERE system = p_system AND year = p_year;
END
$$;

CREATE FUNCTION add_closure(p_day date, p_note text DEFAULT '') RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_admin();
    INSERT INTO calendar_closure (day, note, added_by)
    VALUES (checked_date('closure', p_day), coalesce(checked_text('note', p_note, 1000, false), ''), session_user)
    ON CONFLICT (day) DO NOTHING;
    IF NOT FOUND THEN
        PERFORM refuse('DW422', 'error.exists_closure', format('%s is already a closure day', p_day), jsonb_build_object('date', p_day));
    END IF;
END
$$;

-- Staff read the tables directly; that is the group role devworkflow_staff, which the product
-- grants to a staff person's login and revokes when the person is not staff (a vendor's user,
-- no person record). It also bounds how long the login may sit idle in a transaction.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'devworkflow_staff') THEN
        CREATE ROLE devworkflow_staff NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

CREATE FUNCTION sync_login(p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_role pg_roles;
    v_staff boolean := EXISTS (SELECT 1 FROM person WHERE login = p_login AND role IN ('admin', 'product_owner', 'requester'));
    v_member boolean;
BEGIN
    SELECT * INTO v_role FROM pg_roles WHERE rolname = p_login;
    IF v_role.rolname IS NULL OR v_role.rolsuper THEN
        RETURN;   -- not a login yet (the DBA creates it later, then runs person sync), or above all rules
    END IF;
    v_member := EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                        WHERE g.rolname = 'devworkflow_staff' AND m.member = v_role.oid);
    IF v_staff AND NOT v_member THEN
        EXECUTE format('GRANT devworkflow_staff TO %I', p_login);
    ELSIF NOT v_staff AND v_member THEN
        EXECUTE format('REVOKE devworkflow_staff FROM %I', p_login);
    END IF;
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', p_login, '60s');
END
$$;

-- Brings every person's login in step with its record (after a DBA created logins).
CREATE FUNCTION sync_logins() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_login text;
    v_count integer := 0;
BEGIN
    IF session_user <> (SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE c.oid = 'workflow.person'::regclass) THEN
        PERFORM require_admin();
    END IF;
    FOR v_login IN SELECT p.login FROM person p JOIN pg_roles r ON r.rolname = p.login LOOP
        PERFORM sync_login(v_login);
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

CREATE FUNCTION add_person(p_login text, p_name text, p_email text, p_role text, p_systems text[] DEFAULT '{}',
                           p_vendor text DEFAULT NULL, p_lang text DEFAULT 'et') RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_system text;
BEGIN
    PERFORM require_admin();
    IF coalesce(p_login, '') = '' OR length(p_login) > 63 OR p_login ~ '[\s\x01-\x1f]' THEN
        PERFORM refuse('DW422', 'error.login_format', format('invalid login %s', left(p_login, 63)), jsonb_build_object('value', left(p_login, 63)));
    END IF;
    IF p_role IS NULL OR p_role NOT IN ('admin', 'product_owner', 'vendor', 'requester') THEN
        PERFORM refuse('DW400', 'error.role', format('role %s: expected admin, product_owner, vendor or requester', left(p_role, 40)),
                       jsonb_build_object('value', left(p_role, 40)));
    END IF;
    IF p_role = 'vendor' AND p_vendor IS NULL THEN
        PERFORM refuse('DW400', 'error.vendor_user_needs_vendor', 'a vendor''s user needs a vendor');
    ELSIF p_role <> 'vendor' AND p_vendor IS NOT NULL THEN
        PERFORM refuse('DW400', 'error.vendor_for_vendors', 'a vendor is for vendor users');
    ELSIF p_role = 'product_owner' AND cardinality(coalesce(p_systems, '{}')) = 0 THEN
        PERFORM refuse('DW400', 'error.owner_needs_system', 'a product owner needs a system');
    ELSIF p_role <> 'product_owner' AND cardinality(coalesce(p_systems, '{}')) > 0 THEN
        PERFORM refuse('DW400', 'error.system_for_owners', 'systems are for product owners');
    END IF;
    IF p_vendor IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vendor WHERE key = p_vendor) THEN
        PERFORM refuse('DW404', 'error.no_vendor', format('no vendor %s', p_vendor), jsonb_build_object('vendor', left(p_vendor, 40)));
    END IF;
    INSERT INTO person (login, name, email, role, vendor, lang)
    VALUES (p_login, checked_name('person', p_name), checked_email(p_email), p_role, p_vendor, checked_lang(p_lang))
    ON CONFLICT (login) DO NOTHING;
    IF NOT FOUND THEN
        PERFORM refuse('DW422', 'error.exists_person', format('person %s already exists', p_login), jsonb_build_object('name', p_login));
    END IF;
    FOREACH v_system IN ARRAY coalesce(p_systems, '{}') LOOP
        IF NOT EXISTS (SELECT 1 FROM system WHERE key = v_system) THEN
            PERFORM refuse('DW404', 'error.no_system', format('no system %s', v_system), jsonb_build_object('system', left(v_system, 40)));
        END IF;
        INSERT INTO person_system (login, system) VALUES (p_login, v_system) ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            PERFORM refuse('DW422', 'error.system_twice', format('system %s named twice', v_system), jsonb_build_object('system', v_system));
        END IF;
    END LOOP;
    PERFORM sync_login(p_login);
END
$$;

-- Reminder rules: a missing rule's message names it under its own key (two `key` fields in one
-- DETAIL left the placeholder unfilled).
CREATE OR REPLACE FUNCTION set_reminder_rule(p_key text, p_enabled boolean, p_days integer, p_repeat integer, p_escalate integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    IF (actor()).role <> 'admin' THEN
        PERFORM refuse('DW403', 'error.rules_admins_only', 'only admins may edit reminder rules');
    END IF;
    UPDATE reminder_rule
    SET enabled = coalesce(p_enabled, enabled), business_days = coalesce(p_days, business_days),
        repeat_every = coalesce(p_repeat, repeat_every), escalate_after = coalesce(p_escalate, escalate_after)
    WHERE key = p_key;
    IF NOT FOUND THEN
        PERFORM refuse('DW404', 'error.no_rule', format('no reminder rule %s: the rules are %s', p_key,
                                                        (SELECT string_agg(key, ', ' ORDER BY key) FROM reminder_rule)),
                       jsonb_build_object('rule', left(p_key, 60), 'known', 'words:' || (SELECT string_agg(key, ',' ORDER BY key) FROM reminder_rule)));
    END IF;
END
$$;

-- Reminders: the new recipients (one message per vendor, copying its other addresses).
CREATE OR REPLACE FUNCTION enqueue_reminders(p_items jsonb) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_item jsonb;
    v_count integer := 0;
    v_added integer;
BEGIN
    FOR v_item IN SELECT jsonb_array_elements(p_items) LOOP
        INSERT INTO reminder (request_id, rule, occurrence, due_on)
        VALUES (v_item ->> 'request', v_item ->> 'rule', v_item ->> 'occurrence', (v_item ->> 'due_on')::date)
        ON CONFLICT DO NOTHING;
        CONTINUE WHEN NOT FOUND;
        INSERT INTO outbox (kind, request_id, rule, recipient, recipient_name, lang, cc, payload, idempotency_key)
        SELECT 'reminder', v_item ->> 'request', v_item ->> 'rule', d.email, d.name, d.lang, d.cc,
               (v_item -> 'payload') || jsonb_build_object('audience', d.audience),
               format('reminder:%s:%s:%s:%s', v_item ->> 'request', v_item ->> 'rule', v_item ->> 'occurrence', d.key)
        FROM recipients(v_item ->> 'request',
                        ARRAY(SELECT jsonb_array_elements_text(v_item -> 'audiences')),
                        ARRAY(SELECT jsonb_array_elements_text(coalesce(v_item -> 'vendors', '[]'::jsonb)))) d
        ON CONFLICT (idempotency_key) DO NOTHING;
        GET DIAGNOSTICS v_added = ROW_COUNT;
        v_count := v_count + v_added;
    END LOOP;
    IF v_count > 0 THEN
        PERFORM pg_notify('devworkflow_outbox', '');
    END IF;
    RETURN v_count;
END
$$;

-- Reading -----------------------------------------------------------------------------------------
-- What workflowctl shows of requests comes from these functions, for everyone: they return only
-- what the acting person may see. A vendor's login has no other way to read a request, so no
-- plan of its own can count rows it may not see.

-- The person acting, for the client: login, role, vendor, systems.
CREATE FUNCTION whoami() RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
BEGIN
    RETURN jsonb_build_object('login', a.login, 'role', a.role, 'vendor', a.vendor, 'name', a.name, 'email', a.email, 'lang', a.lang,
                              'systems', coalesce((SELECT jsonb_agg(system ORDER BY system) FROM person_system WHERE login = a.login), '[]'));
END
$$;

-- The vendor a vendor's user is limited to, or NULL for staff.
CREATE FUNCTION reader_vendor(a person) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a.role = 'vendor' THEN a.vendor END
$$;

CREATE FUNCTION request_list(p_states text[] DEFAULT NULL, p_system text DEFAULT NULL, p_vendor text DEFAULT NULL,
                             p_overdue_on date DEFAULT NULL)
RETURNS TABLE (id text, system text, title text, state text, version integer, priority smallint, requester text, vendor text,
               order_number text, deadline date, quote_due date, state_since timestamptz, created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    v_mine text := reader_vendor(a);
    v_state text;
BEGIN
    SELECT s INTO v_state FROM unnest(p_states) s WHERE NOT EXISTS (SELECT 1 FROM workflow_state w WHERE w.name = s) LIMIT 1;
    IF v_state IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.unknown_state', format('unknown state %s', left(v_state, 40)),
                       jsonb_build_object('state', left(v_state, 40),
                                          'known', 'words:' || (SELECT string_agg(DISTINCT name, ',') FROM workflow_state)));
    END IF;
    IF p_system IS NOT NULL AND NOT EXISTS (SELECT 1 FROM workflow.system s WHERE s.key = p_system) THEN
        PERFORM refuse('DW404', 'error.no_system', format('no system %s', p_system), jsonb_build_object('system', left(p_system, 40)));
    END IF;
    IF p_vendor IS NOT NULL AND (NOT EXISTS (SELECT 1 FROM workflow.vendor v WHERE v.key = p_vendor) OR p_vendor IS DISTINCT FROM coalesce(v_mine, p_vendor)) THEN
        PERFORM refuse('DW404', 'error.no_vendor', format('no vendor %s', p_vendor), jsonb_build_object('vendor', left(p_vendor, 40)));
    END IF;
    RETURN QUERY
    SELECT r.id, r.system, r.title, r.state, r.version, r.priority, r.requester,
           CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.vendor END,
           CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.number END,
           CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.deadline END,
           r.quote_due, r.state_since, r.created_at
    FROM request r LEFT JOIN purchase_order o ON o.request_id = r.id
    WHERE (v_mine IS NULL OR r.id IN (SELECT i.request_id FROM invitation i WHERE i.vendor = v_mine
                                      UNION SELECT p.request_id FROM purchase_order p WHERE p.vendor = v_mine))
      AND (p_states IS NULL OR r.state = ANY (p_states))
      AND (p_system IS NULL OR r.system = p_system)
      AND (p_vendor IS NULL OR o.vendor = p_vendor OR EXISTS (SELECT 1 FROM invitation i WHERE i.request_id = r.id AND i.vendor = p_vendor))
      AND (p_overdue_on IS NULL OR (r.state = 'ordered' AND o.deadline < p_overdue_on)
           OR (r.state = 'quote_requested' AND r.quote_due < p_overdue_on))
    ORDER BY r.system, r.number;
END
$$;

-- One request's list row, as the acting person may see it.
CREATE FUNCTION request_row(p_request text)
RETURNS TABLE (id text, system text, title text, state text, version integer, priority smallint, requester text, vendor text,
               order_number text, deadline date, quote_due date, state_since timestamptz, created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
    v_mine text := reader_vendor(a);
BEGIN
    RETURN QUERY
    SELECT r.id, r.system, r.title, r.state, r.version, r.priority, r.requester, o.vendor, o.number, o.deadline, r.quote_due,
           r.state_since, r.created_at
    FROM (SELECT 1) one LEFT JOIN purchase_order o ON o.request_id = r.id AND (v_mine IS NULL OR o.vendor = v_mine);
END
$$;

-- What `request show` adds to the row: description, invitations and quotes, the order, as the
-- acting person may see them.
CREATE FUNCTION request_card(p_request text) RETURNS jsonb
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
              'order_date', o.order_date, 'deadline', o.deadline, 'delivered_at', o.delivered_at, 'accepted_at', o.accepted_at,
              'returns', o.returns, 'released_at', o.released_at, 'release_version', o.release_version, 'cancelled_at', o.cancelled_at)
            FROM purchase_order o JOIN contract c ON c.id = o.contract_id WHERE o.request_id = r.id AND (v_mine IS NULL OR o.vendor = v_mine)),
        'comments', (SELECT count(*) FROM request_comments(r.id)));
END
$$;

-- A request's history as the acting person may see it. A vendor sees its invitation (without the
-- other vendors), its own quote and order and what follows them; after an order to another vendor
-- only that the quoting closed.
CREATE FUNCTION request_events(p_request text)
RETURNS TABLE (seq integer, transition text, from_state text, to_state text, actor text, by_login text, at timestamptz, inputs jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
    v_mine text := reader_vendor(a);
BEGIN
    RETURN QUERY
    SELECT e.seq, e.transition, e.from_state, e.to_state, e.actor, e.by_login, e.at, e.inputs
    FROM event e WHERE e.request_id = r.id AND (v_mine IS NULL OR e.audience = '*' OR e.audience = v_mine)
    UNION ALL
    SELECT e.seq, e.transition, e.from_state, e.to_state, e.actor, e.by_login, e.at, jsonb_build_object('due', e.inputs -> 'due')
    FROM event e WHERE v_mine IS NOT NULL AND e.request_id = r.id AND e.audience IS NULL AND e.inputs -> 'vendors' ? v_mine
    UNION ALL
    SELECT e.seq, 'quoting_closed', e.from_state, e.to_state, '', '', e.at, '{}'::jsonb
    FROM event e WHERE v_mine IS NOT NULL AND e.request_id = r.id AND e.transition = 'order' AND e.audience <> v_mine
    ORDER BY 1;
END
$$;

-- A request's comments as the acting person may see them: a vendor reads staff's comments that
-- are not internal, and its own vendor's.
CREATE FUNCTION request_comments(p_request text)
RETURNS TABLE (id bigint, author text, by_login text, at timestamptz, body text, internal boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
    v_mine text := reader_vendor(a);
BEGIN
    RETURN QUERY
    SELECT c.id, c.author, c.by_login, c.at, c.body, c.internal FROM comment c
    WHERE c.request_id = r.id
      AND (v_mine IS NULL OR c.author_vendor = v_mine OR (c.author_vendor IS NULL AND NOT c.internal))
    ORDER BY c.at, c.id;
END
$$;

-- Who may read a vendor's report: staff, the daemon, and the vendor's own users. Returns the
-- vendor's name; one refusal whether the vendor does not exist or is another vendor.
CREATE FUNCTION vendor_report_name(p_vendor text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_name text := (SELECT name FROM vendor WHERE key = p_vendor);
BEGIN
    IF v_name IS NULL OR NOT (pg_has_role(session_user, 'devworkflow_daemon', 'MEMBER')
                              OR coalesce(reader_vendor(actor()), p_vendor) = p_vendor) THEN
        PERFORM refuse('DW404', 'error.no_vendor', format('no vendor %s', left(p_vendor, 40)), jsonb_build_object('vendor', left(p_vendor, 40)));
    END IF;
    RETURN v_name;
END
$$;

-- A vendor's report rows: every request it was invited to or ordered for, with only its own
-- quote and order. The one text of that query: a plain SQL function, which PostgreSQL inlines
-- into the caller's statement, so a reader who may read the tables (staff, the daemon) streams
-- it straight through COPY; a vendor's login reads it through vendor_report_rows.
CREATE FUNCTION vendor_report_query(p_vendor text, p_today date)
RETURNS TABLE (request text, system text, title text, state text, quote_due date, hours numeric, price numeric, delivery date,
               order_number text, order_date date, deadline date, days_late integer, delivered_on date, accepted_on date, returns integer)
LANGUAGE sql STABLE AS $$
    SELECT r.id, r.system, r.title, r.state, i.due, q.hours, q.price, q.delivery, o.number, o.order_date, o.deadline,
           CASE WHEN o.number IS NULL OR o.cancelled_at IS NOT NULL THEN NULL
                ELSE greatest(0, coalesce((coalesce(o.delivered_at, o.accepted_at) AT TIME ZONE 'Europe/Tallinn')::date,
                                          CASE WHEN r.state = 'ordered' THEN p_today END) - o.deadline) END,
           (o.delivered_at AT TIME ZONE 'Europe/Tallinn')::date, (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date,
           coalesce(o.returns, 0)
    FROM workflow.invitation i
    JOIN workflow.request r ON r.id = i.request_id
    LEFT JOIN workflow.quote q ON q.request_id = i.request_id AND q.vendor = i.vendor
    LEFT JOIN workflow.purchase_order o ON o.request_id = i.request_id AND o.vendor = i.vendor
    WHERE i.vendor = p_vendor
    ORDER BY r.system, r.number
$$;

CREATE FUNCTION vendor_report_rows(p_vendor text, p_today date)
RETURNS TABLE (request text, system text, title text, state text, quote_due date, hours numeric, price numeric, delivery date,
               order_number text, order_date date, deadline date, days_late integer, delivered_on date, accepted_on date, returns integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM vendor_report_name(p_vendor);
    RETURN QUERY SELECT * FROM vendor_report_query(p_vendor, p_today);
END
$$;

-- Privileges ---------------------------------------------------------------------------------------
-- A member of devworkflow_user (every person's login, and logins with no person record) holds no
-- table privilege: it cannot lock, read or write a table, draw from a sequence, or switch a
-- function's behaviour with a session setting. It calls the functions below, which decide from
-- the person record. Staff logins also read the tables (devworkflow_staff, kept by sync_login).
-- LISTEN cannot be refused in PostgreSQL; the wake-up carries no payload.

REVOKE ALL ON ALL TABLES IN SCHEMA workflow FROM devworkflow_user;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA workflow FROM devworkflow_user;
REVOKE ALL ON ALL TABLES IN SCHEMA workflow FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA workflow FROM PUBLIC;
-- Functions later migrations create are the owner's until granted, like these.
ALTER DEFAULT PRIVILEGES IN SCHEMA workflow REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT SELECT ON workflow.schema_migrations TO devworkflow_user;
GRANT USAGE ON SCHEMA workflow TO devworkflow_staff;
GRANT SELECT ON ALL TABLES IN SCHEMA workflow TO devworkflow_staff;
GRANT SELECT ON ALL TABLES IN SCHEMA workflow TO devworkflow_daemon;
GRANT EXECUTE ON FUNCTION
    session_person(), is_staff(), is_admin(), is_person(), my_vendor(),
    move(text, text, integer, jsonb), transitions(text), definition(text), whoami(),
    propose(text, text, text, text), propose_many(text, jsonb), import_done(text, text, text, integer),
    add_comment(text, text, boolean),
    add_system(text, text), add_vendor(text, text, text, text), add_contract(text, text, date, date, numeric, numeric),
    set_budget(text, integer, numeric), add_closure(date, text), add_person(text, text, text, text, text[], text, text), sync_logins(),
    set_reminder_rule(text, boolean, integer, integer, integer), retry_outbox(bigint),
    request_list(text[], text, text, date), request_row(text), request_card(text), request_events(text), request_comments(text),
    vendor_report_name(text), vendor_report_rows(text, date), vendor_report_query(text, date),
    easter_sunday(integer), public_holidays(integer), days_off(date, date), add_business_days(date, integer)
TO devworkflow_user;
GRANT EXECUTE ON FUNCTION enqueue_reminders(jsonb), vendor_report_name(text), vendor_report_rows(text, date), vendor_report_query(text, date),
    days_off(date, date), public_holidays(integer), easter_sunday(integer), add_business_days(date, integer), definition(text)
TO devworkflow_daemon;

-- The people already recorded get their logins' privileges.
DO $$ BEGIN PERFORM sync_logins(); END $$;
