-- The workflow engine's tables, rules and access control.
--
-- Everything a person does goes through here with their own PostgreSQL login: the login is the
-- person (table person), the group role devworkflow_user grants the baseline, row-level security
-- decides what each login sees, and the only way to move a request is the function move(),
-- which checks the workflow again, writes the new state, appends the history and queues the
-- notifications in one transaction.

-- Workflow definition (seeded with the built-in small-development workflow) -------------------

CREATE TABLE workflow_state (
    name     text PRIMARY KEY,
    is_final boolean NOT NULL,
    position integer NOT NULL
);

CREATE TABLE workflow_transition (
    name       text NOT NULL,
    from_state text NOT NULL REFERENCES workflow_state,
    to_state   text NOT NULL REFERENCES workflow_state,
    effect     text NOT NULL CHECK (effect IN ('none', 'prioritise', 'invite', 'quote', 'order', 'deliver', 'accept', 'return', 'release', 'close')),
    actors     text[] NOT NULL CHECK (actors <@ ARRAY['admin', 'system_owner', 'invited_vendor', 'ordered_vendor']),
    notify     text[] NOT NULL CHECK (notify <@ ARRAY['system_owners', 'invited_vendors', 'ordered_vendor', 'requester']),
    PRIMARY KEY (name, from_state)
);

INSERT INTO workflow_state (name, is_final, position) VALUES
    ('proposed', false, 1), ('prioritised', false, 2), ('quote_requested', false, 3), ('quoted', false, 4),
    ('ordered', false, 5), ('delivered', false, 6), ('accepted', false, 7), ('released', true, 8),
    ('rejected', true, 9), ('cancelled', true, 10);

INSERT INTO workflow_transition (name, from_state, to_state, effect, actors, notify)
SELECT t.name, f.from_state, t.to_state, t.effect, t.actors, t.notify
FROM (VALUES
    ('prioritise', ARRAY['proposed'], 'prioritised', 'prioritise', ARRAY['system_owner', 'admin'], ARRAY['requester']),
    ('reject', ARRAY['proposed', 'prioritised'], 'rejected', 'close', ARRAY['system_owner', 'admin'], ARRAY['requester']),
    ('request_quote', ARRAY['prioritised'], 'quote_requested', 'invite', ARRAY['system_owner', 'admin'], ARRAY['invited_vendors']),
    ('quote', ARRAY['quote_requested', 'quoted'], 'quoted', 'quote', ARRAY['invited_vendor', 'system_owner', 'admin'], ARRAY['system_owners']),
    ('order', ARRAY['quoted'], 'ordered', 'order', ARRAY['system_owner', 'admin'], ARRAY['ordered_vendor']),
    ('deliver', ARRAY['ordered'], 'delivered', 'deliver', ARRAY['ordered_vendor', 'system_owner', 'admin'], ARRAY['system_owners']),
    ('accept', ARRAY['delivered'], 'accepted', 'accept', ARRAY['system_owner', 'admin'], ARRAY['ordered_vendor']),
    ('return', ARRAY['delivered'], 'ordered', 'return', ARRAY['system_owner', 'admin'], ARRAY['ordered_vendor']),
    ('release', ARRAY['accepted'], 'released', 'release', ARRAY['system_owner', 'admin'], ARRAY['system_owners', 'requester']),
    ('cancel', ARRAY['proposed', 'prioritised', 'quote_requested', 'quoted', 'ordered', 'delivered', 'accepted'], 'cancelled', 'close',
        ARRAY['system_owner', 'admin'], ARRAY['requester', 'ordered_vendor'])
) AS t(name, from_states, to_state, effect, actors, notify)
CROSS JOIN LATERAL unnest(t.from_states) AS f(from_state);

-- Procurement ----------------------------------------------------------------------------------

CREATE TABLE system (
    key        text PRIMARY KEY CONSTRAINT system_key_format CHECK (key ~ '^[A-Z][A-Z0-9_]{0,19}$'),
    name       text NOT NULL CONSTRAINT system_name_present CHECK (btrim(name) <> '' AND length(name) <= 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vendor (
    key        text PRIMARY KEY CONSTRAINT vendor_key_format CHECK (key ~ '^[A-Z][A-Z0-9_]{0,19}$'),
    name       text NOT NULL CONSTRAINT vendor_name_present CHECK (btrim(name) <> '' AND length(name) <= 200),
    email      text NOT NULL CONSTRAINT vendor_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    lang       text NOT NULL DEFAULT 'et' CHECK (lang IN ('et', 'en')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contract (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vendor      text NOT NULL REFERENCES vendor,
    number      text NOT NULL CONSTRAINT contract_number_unique UNIQUE CHECK (btrim(number) <> '' AND length(number) <= 100),
    valid_from  date NOT NULL,
    valid_to    date NOT NULL,
    hourly_rate numeric(14,2) NOT NULL CONSTRAINT contract_rate_positive CHECK (hourly_rate > 0),
    cap         numeric(14,2) NOT NULL CONSTRAINT contract_cap_positive CHECK (cap > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contract_period CHECK (valid_to >= valid_from)
);
CREATE INDEX contract_vendor_idx ON contract (vendor, valid_to);

CREATE TABLE budget (
    system text NOT NULL REFERENCES system,
    year   integer NOT NULL CONSTRAINT budget_year_range CHECK (year BETWEEN 2000 AND 2100),
    amount numeric(14,2) NOT NULL CONSTRAINT budget_amount_nonnegative CHECK (amount >= 0),
    PRIMARY KEY (system, year)
);

CREATE TABLE person (
    login      text PRIMARY KEY CONSTRAINT person_login_present CHECK (login <> '' AND length(login) <= 63),
    name       text NOT NULL CONSTRAINT person_name_present CHECK (btrim(name) <> '' AND length(name) <= 200),
    email      text NOT NULL CONSTRAINT person_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    role       text NOT NULL CHECK (role IN ('admin', 'product_owner', 'vendor', 'requester')),
    vendor     text REFERENCES vendor,
    lang       text NOT NULL DEFAULT 'et' CHECK (lang IN ('et', 'en')),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT person_vendor_role CHECK ((role = 'vendor') = (vendor IS NOT NULL))
);

CREATE TABLE person_system (
    login  text NOT NULL REFERENCES person ON DELETE CASCADE,
    system text NOT NULL REFERENCES system,
    PRIMARY KEY (login, system)
);
CREATE INDEX person_system_system_idx ON person_system (system);

-- The first migrator is the first admin.
INSERT INTO person (login, name, email, role)
VALUES (session_user, session_user, session_user || '@localhost.localdomain', 'admin');

-- Extra days off (besides weekends and public holidays) that business days skip.
CREATE TABLE calendar_closure (
    day      date PRIMARY KEY,
    note     text NOT NULL DEFAULT '',
    added_by text NOT NULL DEFAULT session_user,
    added_at timestamptz NOT NULL DEFAULT now()
);

-- Requests and their history ------------------------------------------------------------------

CREATE TABLE request (
    id              text PRIMARY KEY,
    system          text NOT NULL REFERENCES system,
    number          integer NOT NULL,
    title           text NOT NULL CONSTRAINT request_title_present CHECK (btrim(title) <> '' AND length(title) <= 300),
    description     text NOT NULL DEFAULT '' CONSTRAINT request_description_length CHECK (length(description) <= 20000),
    requester       text CONSTRAINT request_requester_length CHECK (length(requester) <= 200),
    requester_login text REFERENCES person,
    created_by      text NOT NULL,
    state           text NOT NULL REFERENCES workflow_state,
    version         integer NOT NULL,
    priority        smallint CONSTRAINT request_priority_range CHECK (priority BETWEEN 1 AND 5),
    quote_due       date,
    created_at      timestamptz NOT NULL DEFAULT now(),
    state_since     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (system, number)
);
CREATE INDEX request_state_idx ON request (state, state_since);

CREATE TABLE invitation (
    request_id text NOT NULL REFERENCES request,
    vendor     text NOT NULL REFERENCES vendor,
    due        date NOT NULL,
    invited_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, vendor)
);
CREATE INDEX invitation_vendor_idx ON invitation (vendor, request_id);

CREATE TABLE quote (
    request_id text NOT NULL,
    vendor     text NOT NULL,
    hours      numeric(10,2) NOT NULL CONSTRAINT quote_hours_positive CHECK (hours > 0),
    price      numeric(14,2) NOT NULL CONSTRAINT quote_price_positive CHECK (price > 0),
    delivery   date NOT NULL,
    quoted_at  timestamptz NOT NULL DEFAULT now(),
    quoted_by  text NOT NULL,
    PRIMARY KEY (request_id, vendor),
    FOREIGN KEY (request_id, vendor) REFERENCES invitation
);

CREATE TABLE order_counter (
    year integer PRIMARY KEY,
    last integer NOT NULL
);

CREATE TABLE purchase_order (
    number          text PRIMARY KEY CONSTRAINT order_number_format CHECK (number ~ '^ORD-[0-9]{4}-[0-9]{4,}$'),
    request_id      text NOT NULL UNIQUE REFERENCES request,
    vendor          text NOT NULL REFERENCES vendor,
    contract_id     bigint NOT NULL REFERENCES contract,
    price           numeric(14,2) NOT NULL CHECK (price > 0),
    order_date      date NOT NULL,
    deadline        date NOT NULL,
    ordered_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    delivery_note   text,
    accepted_at     timestamptz,
    returns         integer NOT NULL DEFAULT 0,
    released_at     timestamptz,
    release_version text,
    cancelled_at    timestamptz
);
CREATE INDEX purchase_order_vendor_idx ON purchase_order (vendor);
CREATE INDEX purchase_order_contract_idx ON purchase_order (contract_id);

-- Who may see an event besides staff: '*' everyone who sees the request, a vendor key only that
-- vendor, NULL nobody (an invitation lists competitors, so its event stays with staff).
CREATE TABLE event (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id text NOT NULL REFERENCES request,
    seq        integer NOT NULL,
    transition text NOT NULL,
    from_state text,
    to_state   text NOT NULL,
    actor      text NOT NULL,
    by_login   text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    inputs     jsonb NOT NULL DEFAULT '{}',
    audience   text,
    CONSTRAINT event_seq_unique UNIQUE (request_id, seq)
);

CREATE TABLE comment (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id    text NOT NULL REFERENCES request,
    author        text NOT NULL,
    by_login      text NOT NULL,
    author_vendor text,
    at            timestamptz NOT NULL DEFAULT now(),
    body          text NOT NULL CONSTRAINT comment_body_present CHECK (btrim(body) <> '' AND length(body) <= 10000)
);
CREATE INDEX comment_request_idx ON comment (request_id, at);

-- Messages to send, written in the transaction of the change that causes them; workflowd drains it.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('notification', 'reminder')),
    -- No foreign keys: requests and events are never deleted, and checking them cost every move
    -- two index probes and row locks.
    request_id      text NOT NULL,
    event_id        bigint,
    rule            text,
    transition      text,
    recipient       text NOT NULL,
    recipient_name  text,
    lang            text NOT NULL DEFAULT 'et',
    payload         jsonb NOT NULL,
    idempotency_key text NOT NULL CONSTRAINT outbox_idempotency_key_unique UNIQUE,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_owner     text,
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE status = 'pending';

-- Who is acting ---------------------------------------------------------------------------------

-- The person of this login, or NULL. SECURITY DEFINER so policies can ask without recursion.
CREATE FUNCTION session_person() RETURNS person
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT * FROM person WHERE login = session_user
$$;

CREATE FUNCTION is_staff() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM person WHERE login = session_user AND role <> 'vendor')
$$;

CREATE FUNCTION is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM person WHERE login = session_user AND role = 'admin')
$$;

CREATE FUNCTION is_person() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM person WHERE login = session_user)
$$;

CREATE FUNCTION my_vendor() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT vendor FROM person WHERE login = session_user AND role = 'vendor'
$$;

-- The person a change is recorded for, and the login that made it. An admin may act for another
-- person by setting devworkflow.act_as (workflowctl --as); anyone else setting it is refused.
-- Called only from the SECURITY DEFINER functions and triggers below, which fix search_path.
CREATE FUNCTION acting_person(OUT person person, OUT by_login text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_as text := nullif(current_setting('devworkflow.act_as', true), '');
    v_me person;
BEGIN
    by_login := session_user;
    SELECT * INTO v_me FROM person p WHERE p.login = session_user;
    IF v_me.login IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'DW403',
            MESSAGE = format('login %s has no person record: an admin must add it with workflowctl person add', session_user),
            DETAIL = json_build_object('key', 'error.no_person')::text;
    END IF;
    IF v_as IS NULL OR v_as = v_me.login THEN
        person := v_me;
        RETURN;
    END IF;
    IF v_me.role <> 'admin' THEN
        RAISE EXCEPTION USING ERRCODE = 'DW403', MESSAGE = format('only admins may act as another person (%s is %s)', v_me.login, v_me.role),
            DETAIL = json_build_object('key', 'error.act_as_admins_only', 'login', v_me.login, 'role', v_me.role)::text;
    END IF;
    SELECT * INTO person FROM person p WHERE p.login = v_as;
    IF person.login IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'DW404', MESSAGE = format('no person %s to act as', v_as),
            DETAIL = json_build_object('key', 'error.no_person_to_act_as', 'login', v_as)::text;
    END IF;
END
$$;

-- Requests are proposed by INSERT (only four columns are granted); the trigger numbers them per
-- system under a lock on the system's row and fills in everything else.
CREATE FUNCTION request_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_actor person;
BEGIN
    SELECT (a.person).* INTO v_actor FROM acting_person() a;
    IF v_actor.role NOT IN ('admin', 'product_owner', 'requester') THEN
        RAISE EXCEPTION USING ERRCODE = 'DW403', MESSAGE = format('%s is a vendor user and may not propose requests', v_actor.login),
            DETAIL = json_build_object('key', 'error.vendor_proposes', 'login', v_actor.login)::text;
    END IF;
    PERFORM 1 FROM system WHERE key = NEW.system FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'DW404', MESSAGE = format('no system %s', NEW.system),
            DETAIL = json_build_object('key', 'error.no_system', 'system', NEW.system)::text;
    END IF;
    NEW.number := coalesce((SELECT max(number) FROM request WHERE system = NEW.system), 0) + 1;
    NEW.id := NEW.system || '-' || NEW.number;
    NEW.state := 'proposed';
    NEW.version := 1;
    NEW.priority := NULL;
    NEW.quote_due := NULL;
    NEW.created_by := v_actor.login;
    NEW.created_at := now();
    NEW.state_since := now();
    NEW.description := coalesce(NEW.description, '');
    NEW.requester := coalesce(nullif(btrim(NEW.requester), ''), v_actor.login);
    NEW.requester_login := (SELECT login FROM person WHERE login = NEW.requester OR lower(email) = lower(NEW.requester)
                            ORDER BY login = NEW.requester DESC LIMIT 1);
    RETURN NEW;
END
$$;

CREATE TRIGGER request_numbered BEFORE INSERT ON request FOR EACH ROW EXECUTE FUNCTION request_before_insert();

-- The proposal is the first event of every history; product owners hear of single proposals
-- (an import of a backlog sets devworkflow.bulk and notifies nobody).
CREATE FUNCTION request_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_by text := session_user;
    v_event bigint;
BEGIN
    INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, at, inputs, audience)
    SELECT n.id, 1, 'propose', NULL, 'proposed', n.created_by, v_by, n.created_at,
           jsonb_build_object('title', n.title), '*'
    FROM new_rows n;
    IF coalesce(current_setting('devworkflow.bulk', true), '') <> 'on' THEN
        FOR v_event IN SELECT e.id FROM event e JOIN new_rows n ON n.id = e.request_id AND e.seq = 1 LOOP
            PERFORM enqueue_notifications(v_event, ARRAY['system_owners']);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

-- A state change the workflow does not allow cannot be written, not even by hand; a state change
-- advances the version by exactly one, and its event must exist when the transaction commits.
CREATE FUNCTION request_before_update() RETURNS trigger
LANGUAGE plpgsql SET search_path = workflow, pg_temp AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.system <> OLD.system OR NEW.number <> OLD.number OR NEW.created_by <> OLD.created_by THEN
        RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = 'a request''s identity cannot change',
            DETAIL = json_build_object('key', 'error.identity')::text;
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state THEN
        IF NOT EXISTS (SELECT 1 FROM workflow_transition WHERE from_state = OLD.state AND to_state = NEW.state) THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422',
                MESSAGE = format('the workflow does not allow %s to go from %s to %s', OLD.id, OLD.state, NEW.state),
            DETAIL = json_build_object('key', 'error.state_change', 'request', OLD.id, 'from', 'state:' || OLD.state, 'to', 'state:' || NEW.state)::text;
        END IF;
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state OR NEW.version <> OLD.version THEN
        IF NEW.version <> OLD.version + 1 THEN
            RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = format('%s: a change must advance the version by one', OLD.id),
            DETAIL = json_build_object('key', 'error.version_step', 'request', OLD.id)::text;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER request_guarded BEFORE UPDATE ON request FOR EACH ROW EXECUTE FUNCTION request_before_update();

CREATE FUNCTION request_history_complete() RETURNS trigger
LANGUAGE plpgsql SET search_path = workflow, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM event WHERE request_id = NEW.id AND seq = NEW.version AND to_state = NEW.state) THEN
        RAISE EXCEPTION USING ERRCODE = 'DW422',
            MESSAGE = format('%s reached version %s without its event in the history', NEW.id, NEW.version),
            DETAIL = json_build_object('key', 'error.history_missing', 'request', NEW.id, 'version', NEW.version)::text;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER request_has_history AFTER UPDATE ON request DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.version <> OLD.version) EXECUTE FUNCTION request_history_complete();

-- The history is append-only for every role, the table's owner included.
CREATE FUNCTION history_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'DW405', MESSAGE = format('the history is append-only: %s on %s is refused', TG_OP, TG_TABLE_NAME),
            DETAIL = json_build_object('key', 'error.append_only', 'operation', TG_OP, 'table', TG_TABLE_NAME)::text;
END
$$;

CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event FOR EACH ROW EXECUTE FUNCTION history_is_append_only();
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event FOR EACH STATEMENT EXECUTE FUNCTION history_is_append_only();
CREATE TRIGGER comment_append_only BEFORE UPDATE OR DELETE ON comment FOR EACH ROW EXECUTE FUNCTION history_is_append_only();
CREATE TRIGGER comment_no_truncate BEFORE TRUNCATE ON comment FOR EACH STATEMENT EXECUTE FUNCTION history_is_append_only();

-- Comments: staff on any request, a vendor's users on requests their vendor sees.
CREATE FUNCTION comment_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_actor person;
    v_by text;
BEGIN
    SELECT (a.person).* INTO v_actor FROM acting_person() a;
    v_by := session_user;
    IF NOT EXISTS (SELECT 1 FROM request WHERE id = NEW.request_id)
       OR (v_actor.role = 'vendor' AND NOT EXISTS (SELECT 1 FROM invitation WHERE request_id = NEW.request_id AND vendor = v_actor.vendor)) THEN
        RAISE EXCEPTION USING ERRCODE = 'DW404', MESSAGE = format('no request %s', NEW.request_id),
            DETAIL = json_build_object('key', 'error.no_request', 'request', NEW.request_id)::text;
    END IF;
    NEW.author := v_actor.login;
    NEW.by_login := v_by;
    NEW.author_vendor := v_actor.vendor;
    NEW.at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER comment_authored BEFORE INSERT ON comment FOR EACH ROW EXECUTE FUNCTION comment_before_insert();

-- Notifications ---------------------------------------------------------------------------------

-- Who hears of something about a request: product owners of its system, the vendors named
-- (their contact address and their users), the ordered vendor, the requester when a known
-- person, or the admins. One row per address.
CREATE FUNCTION recipients(p_request text, p_audiences text[], p_vendors text[] DEFAULT '{}')
RETURNS TABLE (email text, name text, lang text)
-- One small query per audience asked for: a single query over every audience cost a large plan
-- to start on each move. An address may come twice (a product owner who is also the requester):
-- callers insert with ON CONFLICT on a key that holds the address, so each gets one message.
-- PL/pgSQL keeps the plans per session; it is called only from SECURITY DEFINER functions that
-- fix search_path, so it sets nothing itself (each SET costs every call).
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF 'system_owners' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang FROM request r JOIN person_system ps ON ps.system = r.system
                     JOIN person p ON p.login = ps.login WHERE r.id = p_request AND p.role = 'product_owner';
    END IF;
    IF 'vendors' = ANY (p_audiences) AND cardinality(p_vendors) > 0 THEN
        RETURN QUERY SELECT p.email, p.name, p.lang FROM person p WHERE p.vendor = ANY (p_vendors);
        RETURN QUERY SELECT v.email, v.name, v.lang FROM vendor v WHERE v.key = ANY (p_vendors);
    END IF;
    IF 'ordered_vendor' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang FROM purchase_order o JOIN person p ON p.vendor = o.vendor WHERE o.request_id = p_request;
        RETURN QUERY SELECT v.email, v.name, v.lang FROM purchase_order o JOIN vendor v ON v.key = o.vendor WHERE o.request_id = p_request;
    END IF;
    IF 'requester' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang FROM request r JOIN person p ON p.login = r.requester_login WHERE r.id = p_request;
    END IF;
    IF 'admins' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang FROM person p WHERE p.role = 'admin';
    END IF;
END
$$;

-- Queues one message per recipient address for an event, to the audiences named (by default the
-- transition's). A vendor's recipients get nothing about other vendors: the payload leaves out
-- the list of invited vendors.
CREATE FUNCTION enqueue_notifications(p_event bigint, p_audiences text[] DEFAULT NULL) RETURNS integer
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
    IF v_count > 0 THEN
        PERFORM pg_notify('devworkflow_outbox', p_event::text);
    END IF;
    RETURN v_count;
END
$$;

CREATE TRIGGER request_proposed AFTER INSERT ON request REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION request_after_insert();

-- Moving a request ------------------------------------------------------------------------------

-- The one way to move a request. It checks again everything the caller's state machine checked
-- (the database is the last line of defence): the version the caller saw, the transition from
-- the current state, who may take it, its inputs and guards (under locks on the budget and the
-- contract, so two orders cannot both spend the last euro); then it writes the effect, the new
-- state, the event and the notifications. Returns the new version, state, event and order number.
-- Generic plans: the statements' constants (audience arrays, effects) made the planner prefer
-- a fresh custom plan on every call, which cost more than running them.
CREATE FUNCTION move(p_request text, p_transition text, p_expected_version integer, p_inputs jsonb)
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
        IF FOUND THEN
            PERFORM pg_notify('devworkflow_outbox', v_event::text);
        END IF;
    END IF;

    RETURN jsonb_build_object('request', v_req.id, 'version', v_req.version + 1, 'state', v_tr.to_state,
                              'from', v_req.state, 'event', v_event, 'order', v_number);
END
$$;

-- Row-level security ----------------------------------------------------------------------------
-- Staff (admins, product owners, requesters) read everything; a vendor's login reads only the
-- requests its vendor was invited to (an ordered vendor was always invited) and only its own
-- quotes, orders and contracts; a login with no person record reads nothing. The (SELECT f())
-- form evaluates each check once per statement, not once per row.

ALTER TABLE system ENABLE ROW LEVEL SECURITY;
CREATE POLICY system_read ON system FOR SELECT USING ((SELECT is_person()));
CREATE POLICY system_insert ON system FOR INSERT WITH CHECK ((SELECT is_admin()));
CREATE POLICY system_update ON system FOR UPDATE USING ((SELECT is_admin()));

ALTER TABLE vendor ENABLE ROW LEVEL SECURITY;
CREATE POLICY vendor_read ON vendor FOR SELECT USING ((SELECT is_staff()) OR key = (SELECT my_vendor()));
CREATE POLICY vendor_insert ON vendor FOR INSERT WITH CHECK ((SELECT is_admin()));
CREATE POLICY vendor_update ON vendor FOR UPDATE USING ((SELECT is_admin()));

ALTER TABLE contract ENABLE ROW LEVEL SECURITY;
CREATE POLICY contract_read ON contract FOR SELECT USING ((SELECT is_staff()) OR vendor = (SELECT my_vendor()));
CREATE POLICY contract_insert ON contract FOR INSERT WITH CHECK ((SELECT is_admin()));
CREATE POLICY contract_update ON contract FOR UPDATE USING ((SELECT is_admin()));

ALTER TABLE budget ENABLE ROW LEVEL SECURITY;
CREATE POLICY budget_read ON budget FOR SELECT USING ((SELECT is_staff()));
CREATE POLICY budget_insert ON budget FOR INSERT WITH CHECK ((SELECT is_admin()));
CREATE POLICY budget_update ON budget FOR UPDATE USING ((SELECT is_admin()));

ALTER TABLE person ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_read ON person FOR SELECT
    USING ((SELECT is_staff()) OR login = session_user OR (vendor IS NOT NULL AND vendor = (SELECT my_vendor())));
CREATE POLICY person_insert ON person FOR INSERT WITH CHECK ((SELECT is_admin()));
CREATE POLICY person_update ON person FOR UPDATE USING ((SELECT is_admin()));

ALTER TABLE person_system ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_system_read ON person_system FOR SELECT USING ((SELECT is_staff()));
CREATE POLICY person_system_insert ON person_system FOR INSERT WITH CHECK ((SELECT is_admin()));
CREATE POLICY person_system_delete ON person_system FOR DELETE USING ((SELECT is_admin()));

ALTER TABLE request ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_read ON request FOR SELECT
    USING ((SELECT is_staff())
           OR EXISTS (SELECT 1 FROM invitation i WHERE i.request_id = request.id AND i.vendor = (SELECT my_vendor())));
CREATE POLICY request_propose ON request FOR INSERT WITH CHECK ((SELECT is_staff()));

ALTER TABLE invitation ENABLE ROW LEVEL SECURITY;
CREATE POLICY invitation_read ON invitation FOR SELECT USING ((SELECT is_staff()) OR vendor = (SELECT my_vendor()));

ALTER TABLE quote ENABLE ROW LEVEL SECURITY;
CREATE POLICY quote_read ON quote FOR SELECT USING ((SELECT is_staff()) OR vendor = (SELECT my_vendor()));

ALTER TABLE purchase_order ENABLE ROW LEVEL SECURITY;
CREATE POLICY purchase_order_read ON purchase_order FOR SELECT USING ((SELECT is_staff()) OR vendor = (SELECT my_vendor()));

ALTER TABLE event ENABLE ROW LEVEL SECURITY;
CREATE POLICY event_read ON event FOR SELECT
    USING ((SELECT is_staff())
           OR ((audience = '*' OR audience = (SELECT my_vendor()))
               AND EXISTS (SELECT 1 FROM invitation i WHERE i.request_id = event.request_id AND i.vendor = (SELECT my_vendor()))));

ALTER TABLE comment ENABLE ROW LEVEL SECURITY;
CREATE POLICY comment_read ON comment FOR SELECT USING ((SELECT is_staff()) OR author_vendor = (SELECT my_vendor()));
CREATE POLICY comment_insert ON comment FOR INSERT WITH CHECK ((SELECT is_person()));

ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY outbox_read ON outbox FOR SELECT USING ((SELECT is_staff()) AND NOT (SELECT (session_person()).role = 'requester'));

ALTER TABLE calendar_closure ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendar_closure_read ON calendar_closure FOR SELECT USING ((SELECT is_person()));
CREATE POLICY calendar_closure_insert ON calendar_closure FOR INSERT WITH CHECK ((SELECT is_admin()));

ALTER TABLE order_counter ENABLE ROW LEVEL SECURITY;
CREATE POLICY order_counter_read ON order_counter FOR SELECT USING ((SELECT is_staff()));

-- Privileges of the group role ------------------------------------------------------------------

REVOKE ALL ON ALL TABLES IN SCHEMA workflow FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA workflow FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA workflow TO devworkflow_user;
GRANT INSERT, UPDATE ON system, vendor, contract, budget, person TO devworkflow_user;
GRANT INSERT, DELETE ON person_system TO devworkflow_user;
GRANT INSERT (day, note) ON calendar_closure TO devworkflow_user;
GRANT INSERT (system, title, description, requester) ON request TO devworkflow_user;
GRANT INSERT (request_id, body) ON comment TO devworkflow_user;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA workflow TO devworkflow_user;
GRANT EXECUTE ON FUNCTION session_person(), is_staff(), is_admin(), is_person(), my_vendor(),
    move(text, text, integer, jsonb) TO devworkflow_user;
