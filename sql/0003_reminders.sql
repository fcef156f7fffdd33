-- Reminders: rules as data, each reminder once per (request, rule, occurrence), and what the
-- daemon needs to drain the outbox safely from several processes at once.

CREATE TABLE reminder_rule (
    key            text PRIMARY KEY,
    enabled        boolean NOT NULL DEFAULT true,
    business_days  integer NOT NULL CONSTRAINT reminder_rule_days_range CHECK (business_days BETWEEN 0 AND 250),
    repeat_every   integer CONSTRAINT reminder_rule_repeat_range CHECK (repeat_every BETWEEN 1 AND 250),
    escalate_after integer CONSTRAINT reminder_rule_escalate_range CHECK (escalate_after BETWEEN 1 AND 250),
    description    text NOT NULL
);

INSERT INTO reminder_rule (key, business_days, repeat_every, escalate_after, description) VALUES
    ('proposed_waiting', 10, NULL, NULL, 'proposed for more than N business days: the product owner should prioritise or reject it'),
    ('quote_overdue', 0, NULL, NULL, 'the quote due date passed: invited vendors that have not quoted should send their quote'),
    ('quoted_waiting', 5, NULL, NULL, 'quoted for more than N business days: the product owner should order or ask again'),
    ('deadline_near', 3, NULL, NULL, 'N business days before an order''s deadline: the vendor should deliver on time'),
    ('deadline_passed', 0, 2, 10, 'an order''s deadline passed: the vendor and the product owner, again every R business days, an admin after E'),
    ('acceptance_pending', 10, NULL, NULL, 'delivered for more than N business days: the product owner should accept or return it'),
    ('release_pending', 20, NULL, NULL, 'accepted for more than N business days: the product owner should release it');

CREATE TABLE reminder (
    request_id text NOT NULL REFERENCES request,
    rule       text NOT NULL REFERENCES reminder_rule,
    occurrence text NOT NULL,
    due_on     date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, rule, occurrence)
);

-- What the rules look for, found through indexes so a pass costs what is due, not the table (the
-- deadline rules start from request_state_idx: the requests now in 'ordered').
CREATE INDEX request_quote_due_idx ON request (quote_due) WHERE state IN ('quote_requested', 'quoted');
CREATE INDEX outbox_leased_idx ON outbox (lease_until) WHERE status = 'pending' AND lease_until IS NOT NULL;
CREATE INDEX outbox_failed_idx ON outbox (id) WHERE status = 'failed';

-- Records due reminders and queues their messages, each at most once whatever runs twice.
-- p_items: [{"request", "rule", "occurrence", "due_on", "audiences": [...], "vendors": [...], "payload": {...}}].
-- Returns the number of messages queued.
CREATE FUNCTION enqueue_reminders(p_items jsonb) RETURNS integer
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
        INSERT INTO outbox (kind, request_id, rule, recipient, recipient_name, lang, payload, idempotency_key)
        SELECT 'reminder', v_item ->> 'request', v_item ->> 'rule', d.email, d.name, d.lang, v_item -> 'payload',
               format('reminder:%s:%s:%s:%s', v_item ->> 'request', v_item ->> 'rule', v_item ->> 'occurrence', lower(d.email))
        FROM recipients(v_item ->> 'request',
                        ARRAY(SELECT jsonb_array_elements_text(v_item -> 'audiences')),
                        ARRAY(SELECT jsonb_array_elements_text(coalesce(v_item -> 'vendors', '[]'::jsonb)))) d
        ON CONFLICT (idempotency_key) DO NOTHING;
        GET DIAGNOSTICS v_added = ROW_COUNT;
        v_count := v_count + v_added;
    END LOOP;
    IF v_count > 0 THEN
        PERFORM pg_notify('devworkflow_outbox', 'reminders');
    END IF;
    RETURN v_count;
END
$$;

-- Sends a failed (or any undelivered) message again: admins only.
CREATE FUNCTION retry_outbox(p_id bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_status text;
BEGIN
    IF NOT is_admin() THEN
        RAISE EXCEPTION USING ERRCODE = 'DW403', MESSAGE = 'only admins may retry messages',
            DETAIL = json_build_object('key', 'error.retry_admins_only')::text;
    END IF;
    SELECT status INTO v_status FROM outbox WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'DW404', MESSAGE = format('no message %s in the outbox', p_id),
            DETAIL = json_build_object('key', 'error.no_message', 'id', p_id)::text;
    END IF;
    IF v_status = 'delivered' THEN
        RAISE EXCEPTION USING ERRCODE = 'DW422', MESSAGE = format('message %s was delivered already', p_id),
            DETAIL = json_build_object('key', 'error.message_delivered', 'id', p_id)::text;
    END IF;
    UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), lease_owner = NULL, lease_until = NULL
    WHERE id = p_id;
    PERFORM pg_notify('devworkflow_outbox', 'retry');
    RETURN v_status;
END
$$;

-- Editing the rules is for admins.
CREATE FUNCTION set_reminder_rule(p_key text, p_enabled boolean, p_days integer, p_repeat integer, p_escalate integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    IF NOT is_admin() THEN
        RAISE EXCEPTION USING ERRCODE = 'DW403', MESSAGE = 'only admins may edit reminder rules',
            DETAIL = json_build_object('key', 'error.rules_admins_only')::text;
    END IF;
    UPDATE reminder_rule
    SET enabled = coalesce(p_enabled, enabled), business_days = coalesce(p_days, business_days),
        repeat_every = coalesce(p_repeat, repeat_every), escalate_after = coalesce(p_escalate, escalate_after)
    WHERE key = p_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'DW404',
            MESSAGE = format('no reminder rule %s: the rules are %s', p_key, (SELECT string_agg(key, ', ' ORDER BY key) FROM reminder_rule)),
            DETAIL = json_build_object('key', 'error.no_rule', 'key', p_key, 'known', (SELECT string_agg(key, ',' ORDER BY key) FROM reminder_rule))::text;
    END IF;
END
$$;

ALTER TABLE reminder_rule ENABLE ROW LEVEL SECURITY;
CREATE POLICY reminder_rule_read ON reminder_rule FOR SELECT USING ((SELECT is_staff()));
ALTER TABLE reminder ENABLE ROW LEVEL SECURITY;
CREATE POLICY reminder_read ON reminder FOR SELECT USING ((SELECT is_staff()));

REVOKE ALL ON reminder_rule, reminder FROM PUBLIC;
REVOKE ALL ON FUNCTION enqueue_reminders(jsonb), retry_outbox(bigint), set_reminder_rule(text, boolean, integer, integer, integer) FROM PUBLIC;
GRANT SELECT ON reminder_rule, reminder TO devworkflow_user;
GRANT EXECUTE ON FUNCTION retry_outbox(bigint), set_reminder_rule(text, boolean, integer, integer, integer) TO devworkflow_user;

-- The daemon's own group role: it claims and settles outbox messages and records reminders.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'devworkflow_daemon') THEN
        CREATE ROLE devworkflow_daemon NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
GRANT USAGE ON SCHEMA workflow TO devworkflow_daemon;
GRANT SELECT ON ALL TABLES IN SCHEMA workflow TO devworkflow_daemon;
GRANT UPDATE (status, attempts, next_attempt_at, lease_owner, lease_until, last_error, delivered_at) ON outbox TO devworkflow_daemon;
GRANT EXECUTE ON FUNCTION enqueue_reminders(jsonb) TO devworkflow_daemon;
CREATE POLICY outbox_daemon ON outbox FOR ALL TO devworkflow_daemon USING (true) WITH CHECK (true);
CREATE POLICY request_daemon ON request FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY purchase_order_daemon ON purchase_order FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY invitation_daemon ON invitation FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY quote_daemon ON quote FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY vendor_daemon ON vendor FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY person_daemon ON person FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY reminder_rule_daemon ON reminder_rule FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY reminder_daemon ON reminder FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY calendar_closure_daemon ON calendar_closure FOR SELECT TO devworkflow_daemon USING (true);
