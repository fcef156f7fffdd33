-- Every change on the record, and the record tamper-evident.
--
-- The audit log: every change to systems, vendors, contracts, budgets, people and their systems,
-- reminder rules, closures, VAT rates and invoices is recorded by a trigger in the same
-- transaction (who, --as whom, when, what, the old and the new values), whatever path made it.
--
-- Hash chains: each history event, comment and audit record carries SHA-256 over its predecessor's
-- hash and a canonical encoding of its content (chain_content_*). One chain per request for its
-- events (the request's row lock already orders them: no global lock), one per request for its
-- comments, one for the audit log. Personal text enters the chain as its digest (a comment's body,
-- an audit record's old and new values), so a redaction replaces the text and the chain holds.
-- `workflowctl audit verify` recomputes every chain in the client; seals (exported heads of the
-- chains) catch what a superuser who recomputes the chains could otherwise hide.

-- The encoding: each field as <octets>:<text>, NULL as '-'; times as microseconds since the epoch.
CREATE FUNCTION chain_field(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p IS NULL THEN '-' ELSE octet_length(p)::text || ':' || p END
$$;

CREATE FUNCTION chain_micros(p timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (extract(epoch FROM p) * 1000000)::bigint::text
$$;

CREATE FUNCTION chain_hex(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT encode(sha256(convert_to(p, 'UTF8')), 'hex')
$$;

-- The first record of every chain links to 32 zero bytes.
CREATE FUNCTION chain_genesis() RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
$$;

-- History events ---------------------------------------------------------------------------------

ALTER TABLE event ADD COLUMN prev bytea, ADD COLUMN hash bytea;

CREATE FUNCTION chain_content_event(p_request text, p_seq integer, p_transition text, p_from text, p_to text, p_actor text,
                                    p_by text, p_at timestamptz, p_inputs jsonb, p_audience text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'event' || workflow.chain_field(p_request) || workflow.chain_field(p_seq::text) || workflow.chain_field(p_transition) || workflow.chain_field(p_from)
        || workflow.chain_field(p_to) || workflow.chain_field(p_actor) || workflow.chain_field(p_by) || workflow.chain_field(workflow.chain_micros(p_at))
        || workflow.chain_field(workflow.chain_hex(p_inputs::text)) || workflow.chain_field(p_audience)
$$;

-- Links a new event to its request's previous one (the request's row is locked by the move). The
-- encoding is chain_content_event's, written out inline: a move pays for this trigger on every
-- step, and the nested function calls cost a quarter of it (a test compares the two).
CREATE FUNCTION event_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_at text := (extract(epoch FROM NEW.at) * 1000000)::bigint::text;
BEGIN
    IF NEW.seq = 1 THEN
        NEW.prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    ELSE
        SELECT e.hash INTO NEW.prev FROM workflow.event e WHERE e.request_id = NEW.request_id AND e.seq = NEW.seq - 1;
    END IF;
    NEW.hash := sha256(NEW.prev || convert_to(concat('event',
        octet_length(NEW.request_id), ':', NEW.request_id, octet_length(NEW.seq::text), ':', NEW.seq,
        octet_length(NEW.transition), ':', NEW.transition,
        CASE WHEN NEW.from_state IS NULL THEN '-' ELSE octet_length(NEW.from_state) || ':' || NEW.from_state END,
        octet_length(NEW.to_state), ':', NEW.to_state, octet_length(NEW.actor), ':', NEW.actor, octet_length(NEW.by_login), ':', NEW.by_login,
        octet_length(v_at), ':', v_at, '64:', encode(sha256(convert_to(NEW.inputs::text, 'UTF8')), 'hex'),
        CASE WHEN NEW.audience IS NULL THEN '-' ELSE octet_length(NEW.audience) || ':' || NEW.audience END), 'UTF8'));
    RETURN NEW;
END
$$;

-- Comments -----------------------------------------------------------------------------------------

ALTER TABLE comment ADD COLUMN chain_seq integer, ADD COLUMN body_sha256 bytea, ADD COLUMN prev bytea, ADD COLUMN hash bytea,
    ADD COLUMN redacted_by text, ADD COLUMN redacted_at timestamptz, ADD COLUMN redaction_reason text;

CREATE FUNCTION chain_content_comment(p_request text, p_seq integer, p_author text, p_by text, p_vendor text, p_at timestamptz,
                                      p_internal boolean, p_body_sha256 bytea) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'comment' || workflow.chain_field(p_request) || workflow.chain_field(p_seq::text) || workflow.chain_field(p_author) || workflow.chain_field(p_by)
        || workflow.chain_field(p_vendor) || workflow.chain_field(workflow.chain_micros(p_at)) || workflow.chain_field(CASE WHEN p_internal THEN 't' ELSE 'f' END)
        || workflow.chain_field(encode(p_body_sha256, 'hex'))
$$;

-- Numbers a new comment within its request's comments and links it to the one before. Comments
-- of one request are ordered by a transaction-scoped advisory lock on that request.
CREATE FUNCTION comment_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('devworkflow.comment:' || NEW.request_id, 0));
    SELECT c.chain_seq + 1, c.hash INTO NEW.chain_seq, NEW.prev FROM workflow.comment c
     WHERE c.request_id = NEW.request_id ORDER BY c.chain_seq DESC LIMIT 1;
    IF NEW.chain_seq IS NULL THEN
        NEW.chain_seq := 1;
        NEW.prev := workflow.chain_genesis();
    END IF;
    NEW.body_sha256 := sha256(convert_to(NEW.body, 'UTF8'));
    NEW.hash := sha256(NEW.prev || convert_to(workflow.chain_content_comment(NEW.request_id, NEW.chain_seq, NEW.author, NEW.by_login, NEW.author_vendor,
                                                                   NEW.at, NEW.internal, NEW.body_sha256), 'UTF8'));
    RETURN NEW;
END
$$;

-- The audit log --------------------------------------------------------------------------------------

CREATE TABLE audit (
    seq          bigint PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    by_login     text NOT NULL DEFAULT session_user,
    acting       text,
    kind         text NOT NULL,
    action       text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'redact', 'forget', 'seal')),
    object       text NOT NULL,
    old          jsonb,
    new          jsonb,
    old_sha256   bytea,
    new_sha256   bytea,
    reason       text CHECK (length(reason) <= 5000),
    redacted_at  timestamptz,
    prev         bytea NOT NULL,
    hash         bytea NOT NULL
);
CREATE INDEX audit_kind_idx ON audit (kind, seq);
CREATE INDEX audit_at_idx ON audit (at);

CREATE FUNCTION chain_content_audit(p_seq bigint, p_at timestamptz, p_by text, p_acting text, p_kind text, p_action text, p_object text,
                                    p_old_sha256 bytea, p_new_sha256 bytea, p_reason text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'audit' || workflow.chain_field(p_seq::text) || workflow.chain_field(workflow.chain_micros(p_at)) || workflow.chain_field(p_by) || workflow.chain_field(p_acting)
        || workflow.chain_field(p_kind) || workflow.chain_field(p_action) || workflow.chain_field(p_object) || workflow.chain_field(encode(p_old_sha256, 'hex'))
        || workflow.chain_field(encode(p_new_sha256, 'hex')) || workflow.chain_field(p_reason)
$$;

-- One chain for the whole log: an advisory lock orders the (rare) configuration changes.
CREATE FUNCTION audit_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('devworkflow.audit', 0));
    SELECT a.seq + 1, a.hash INTO NEW.seq, NEW.prev FROM workflow.audit a ORDER BY a.seq DESC LIMIT 1;
    IF NEW.seq IS NULL THEN
        NEW.seq := 1;
        NEW.prev := workflow.chain_genesis();
    END IF;
    NEW.old_sha256 := CASE WHEN NEW.old IS NULL THEN NULL ELSE sha256(convert_to(NEW.old::text, 'UTF8')) END;
    NEW.new_sha256 := CASE WHEN NEW.new IS NULL THEN NULL ELSE sha256(convert_to(NEW.new::text, 'UTF8')) END;
    NEW.hash := sha256(NEW.prev || convert_to(workflow.chain_content_audit(NEW.seq, NEW.at, NEW.by_login, NEW.acting, NEW.kind, NEW.action, NEW.object,
                                                                 NEW.old_sha256, NEW.new_sha256, NEW.reason), 'UTF8'));
    RETURN NEW;
END
$$;

-- Who is acting for the record: the person named by --as when the login is an admin.
CREATE FUNCTION audit_acting() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('devworkflow.act_as', true), '')
$$;

CREATE FUNCTION audit_record(p_kind text, p_action text, p_object text, p_old jsonb, p_new jsonb, p_reason text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO workflow.audit (seq, by_login, acting, kind, action, object, old, new, reason, prev, hash)
    VALUES (0, session_user, workflow.audit_acting(), p_kind, p_action, p_object, p_old, p_new, p_reason, '\x'::bytea, '\x'::bytea)
$$;

-- The trigger every audited table has. TG_ARGV[0]: the key columns, comma separated; the rest:
-- columns that are derived (a budget's or contract's `used`) and not a change anyone made.
CREATE FUNCTION audit_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    v_row jsonb := coalesce(v_new, v_old);
    v_object text;
    v_ignored text[] := coalesce(TG_ARGV[1:], '{}');
    v_keys text[];
BEGIN
    v_old := v_old - v_ignored;
    v_new := v_new - v_ignored;
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(k) INTO v_keys FROM jsonb_object_keys(v_new) k WHERE v_old -> k IS DISTINCT FROM v_new -> k;
        IF v_keys IS NULL THEN
            RETURN NULL;
        END IF;
        SELECT jsonb_object_agg(k, v_old -> k), jsonb_object_agg(k, v_new -> k) INTO v_old, v_new FROM unnest(v_keys) k;
    END IF;
    SELECT string_agg(v_row ->> btrim(k), '/') INTO v_object FROM unnest(string_to_array(TG_ARGV[0], ',')) k;
    PERFORM audit_record(TG_TABLE_NAME, lower(TG_OP), coalesce(v_object, '-'), v_old, v_new);
    RETURN NULL;
END
$$;

CREATE TRIGGER system_audited AFTER INSERT OR UPDATE OR DELETE ON system FOR EACH ROW EXECUTE FUNCTION audit_change('key');
CREATE TRIGGER vendor_audited AFTER INSERT OR UPDATE OR DELETE ON vendor FOR EACH ROW EXECUTE FUNCTION audit_change('key');
CREATE TRIGGER contract_audited AFTER INSERT OR DELETE ON contract FOR EACH ROW EXECUTE FUNCTION audit_change('number', 'used');
CREATE TRIGGER contract_audited_update AFTER UPDATE ON contract FOR EACH ROW
    WHEN ((to_jsonb(OLD) - 'used') IS DISTINCT FROM (to_jsonb(NEW) - 'used')) EXECUTE FUNCTION audit_change('number', 'used');
CREATE TRIGGER budget_audited AFTER INSERT OR DELETE ON budget FOR EACH ROW EXECUTE FUNCTION audit_change('system,year', 'used');
CREATE TRIGGER budget_audited_update AFTER UPDATE ON budget FOR EACH ROW
    WHEN ((to_jsonb(OLD) - 'used') IS DISTINCT FROM (to_jsonb(NEW) - 'used')) EXECUTE FUNCTION audit_change('system,year', 'used');
CREATE TRIGGER person_audited AFTER INSERT OR UPDATE OR DELETE ON person FOR EACH ROW EXECUTE FUNCTION audit_change('login');
CREATE TRIGGER person_system_audited AFTER INSERT OR UPDATE OR DELETE ON person_system FOR EACH ROW EXECUTE FUNCTION audit_change('login,system');
CREATE TRIGGER reminder_rule_audited AFTER INSERT OR UPDATE OR DELETE ON reminder_rule FOR EACH ROW EXECUTE FUNCTION audit_change('key');
CREATE TRIGGER calendar_closure_audited AFTER INSERT OR UPDATE OR DELETE ON calendar_closure FOR EACH ROW EXECUTE FUNCTION audit_change('day');
CREATE TRIGGER vat_rate_audited AFTER INSERT OR UPDATE OR DELETE ON vat_rate FOR EACH ROW EXECUTE FUNCTION audit_change('valid_from');
CREATE TRIGGER invoice_audited AFTER INSERT OR UPDATE OR DELETE ON invoice FOR EACH ROW EXECUTE FUNCTION audit_change('id');

-- Append-only, the owner included; the one change allowed is a redaction, which keeps every
-- field the chain covers (the digests, the links) and is made only by redact_comment and
-- forget_person (they set devworkflow.redacting for their transaction).
CREATE FUNCTION chained_row_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- What a redaction may change; everything else, the digests and links included, stays.
    v_free text[] := CASE TG_TABLE_NAME WHEN 'comment' THEN '{body,redacted_by,redacted_at,redaction_reason}'::text[]
                                        ELSE '{old,new,redacted_at}'::text[] END;
BEGIN
    IF TG_OP = 'UPDATE' AND coalesce(current_setting('devworkflow.redacting', true), '') = 'on'
       AND to_jsonb(NEW) ->> 'redacted_at' IS NOT NULL AND (to_jsonb(OLD) - v_free) = (to_jsonb(NEW) - v_free) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'DW405', MESSAGE = format('the history is append-only: %s on %s is refused', TG_OP, TG_TABLE_NAME),
            DETAIL = json_build_object('key', 'error.append_only', 'operation', TG_OP, 'table', TG_TABLE_NAME)::text;
END
$$;

DROP TRIGGER comment_append_only ON comment;
CREATE TRIGGER comment_append_only BEFORE UPDATE OR DELETE ON comment FOR EACH ROW EXECUTE FUNCTION chained_row_is_append_only();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION chained_row_is_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION history_is_append_only();

-- The history written before this migration joins its chains, in order.
ALTER TABLE event DISABLE TRIGGER event_append_only;
ALTER TABLE comment DISABLE TRIGGER comment_append_only;
DO $$
DECLARE
    e event;
    c comment;
    v_prev bytea;
    v_request text := NULL;
    v_seq integer;
BEGIN
    FOR e IN SELECT * FROM event ORDER BY request_id, seq LOOP
        IF v_request IS DISTINCT FROM e.request_id THEN
            v_prev := chain_genesis();
            v_request := e.request_id;
        END IF;
        UPDATE event SET prev = v_prev,
                         hash = sha256(v_prev || convert_to(chain_content_event(e.request_id, e.seq, e.transition, e.from_state, e.to_state,
                                                                                 e.actor, e.by_login, e.at, e.inputs, e.audience), 'UTF8'))
        WHERE id = e.id RETURNING hash INTO v_prev;
    END LOOP;
    v_request := NULL;
    FOR c IN SELECT * FROM comment ORDER BY request_id, id LOOP
        IF v_request IS DISTINCT FROM c.request_id THEN
            v_prev := chain_genesis();
            v_request := c.request_id;
            v_seq := 0;
        END IF;
        v_seq := v_seq + 1;
        UPDATE comment SET chain_seq = v_seq, prev = v_prev, body_sha256 = sha256(convert_to(c.body, 'UTF8')),
                           hash = sha256(v_prev || convert_to(chain_content_comment(c.request_id, v_seq, c.author, c.by_login, c.author_vendor,
                                                                                     c.at, c.internal, sha256(convert_to(c.body, 'UTF8'))), 'UTF8'))
        WHERE id = c.id RETURNING hash INTO v_prev;
    END LOOP;
END
$$;
ALTER TABLE event ENABLE TRIGGER event_append_only;
ALTER TABLE comment ENABLE TRIGGER comment_append_only;
ALTER TABLE event ALTER COLUMN prev SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
ALTER TABLE comment ALTER COLUMN chain_seq SET NOT NULL, ALTER COLUMN prev SET NOT NULL, ALTER COLUMN hash SET NOT NULL,
    ALTER COLUMN body_sha256 SET NOT NULL;
ALTER TABLE comment ADD CONSTRAINT comment_chain_seq_unique UNIQUE (request_id, chain_seq);

CREATE TRIGGER event_chained BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION event_chain();
CREATE TRIGGER comment_chained BEFORE INSERT ON comment FOR EACH ROW EXECUTE FUNCTION comment_chain();
CREATE TRIGGER audit_chained BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_chain();

-- Who reads the record: admins and product owners, and the daemon's login (its daily seal).
CREATE FUNCTION require_auditor() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person;
BEGIN
    IF is_daemon_login() THEN
        RETURN;
    END IF;
    a := actor();
    IF a.role NOT IN ('admin', 'product_owner') THEN
        PERFORM refuse('DW403', 'error.auditors', 'only admins and product owners read the audit record');
    END IF;
END
$$;

-- `audit log`: the records since a day, of one kind, oldest first.
CREATE FUNCTION audit_log(p_since date DEFAULT NULL, p_kind text DEFAULT NULL) RETURNS SETOF jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_auditor();
    IF p_since IS NOT NULL THEN
        PERFORM checked_date('since', p_since);
    END IF;
    RETURN QUERY
        SELECT jsonb_build_object('seq', a.seq, 'at', a.at, 'login', a.by_login, 'acting', a.acting, 'kind', a.kind, 'action', a.action,
                                  'object', a.object, 'old', a.old, 'new', a.new, 'reason', a.reason, 'redacted', a.redacted_at IS NOT NULL,
                                  'hash', encode(a.hash, 'hex'))
        FROM audit a
        WHERE (p_since IS NULL OR a.at >= (p_since::timestamp AT TIME ZONE 'Europe/Tallinn'))
          AND (p_kind IS NULL OR a.kind = p_kind)
        ORDER BY a.seq;
END
$$;

-- A seal taken (by `audit seal` or the daemon) joins the audit chain; reports name the last one.
CREATE FUNCTION record_seal(p_digest text, p_chains bigint, p_records bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_auditor();
    IF p_digest !~ '^[0-9a-f]{64}$' OR p_chains < 0 OR p_records < 0 THEN
        PERFORM refuse('DW400', 'error.seal_digest', 'a seal is a SHA-256 in hex and two counts');
    END IF;
    PERFORM audit_record('seal', 'seal', p_digest, NULL, jsonb_build_object('chains', p_chains, 'records', p_records));
END
$$;

CREATE FUNCTION last_seal() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT jsonb_build_object('at', a.at, 'digest', a.object) FROM audit a WHERE a.kind = 'seal' ORDER BY a.seq DESC LIMIT 1
$$;

-- `request redact ID --comment N --reason`: an admin replaces a comment's text with a tombstone
-- (N is the comment's number that `request history` shows).
CREATE FUNCTION redact_comment(p_request text, p_comment bigint, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := require_admin();
    c comment;
    v_reason text := checked_text('reason', p_reason, 5000, true);
BEGIN
    SELECT * INTO c FROM comment WHERE request_id = p_request AND id = p_comment FOR UPDATE;
    IF c.id IS NULL THEN
        PERFORM refuse('DW404', 'error.no_comment', format('%s has no comment %s', p_request, p_comment),
                       jsonb_build_object('request', left(p_request, 40), 'number', p_comment));
    END IF;
    IF c.redacted_at IS NOT NULL THEN
        PERFORM refuse('DW409', 'error.comment_redacted', format('comment %s of %s was redacted already', p_comment, p_request),
                       jsonb_build_object('request', p_request, 'number', p_comment));
    END IF;
    PERFORM set_config('devworkflow.redacting', 'on', true);
    UPDATE comment SET body = '[redacted]', redacted_by = a.login, redacted_at = now(), redaction_reason = v_reason WHERE id = c.id;
    PERFORM set_config('devworkflow.redacting', '', true);
    PERFORM audit_record('comment', 'redact', p_request || '#' || p_comment, NULL,
                         jsonb_build_object('body_sha256', encode(c.body_sha256, 'hex')), v_reason);
END
$$;

-- `person forget LOGIN --reason`: an admin replaces a person's name and e-mail with tombstones,
-- in the person's row, in the audit record's old and new values and in the outbox.
CREATE FUNCTION forget_person(p_login text, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := require_admin();
    p person;
    v_reason text := checked_text('reason', p_reason, 5000, true);
    v_email text := 'forgotten-' || left(md5(p_login), 12) || '@forgotten.invalid';
    v_tomb jsonb := '{"name": "[forgotten]"}'::jsonb || jsonb_build_object('email', 'forgotten-' || left(md5(p_login), 12) || '@forgotten.invalid');
BEGIN
    SELECT * INTO p FROM person WHERE login = p_login FOR UPDATE;
    IF p.login IS NULL THEN
        PERFORM refuse('DW404', 'error.no_person_to_forget', format('no person %s', left(p_login, 63)), jsonb_build_object('login', left(p_login, 63)));
    END IF;
    IF p.login = a.login THEN
        PERFORM refuse('DW422', 'error.forget_self', 'an admin does not forget themselves');
    END IF;
    UPDATE person SET name = '[forgotten]', email = v_email WHERE login = p_login;
    UPDATE outbox SET recipient = v_email, recipient_name = '[forgotten]' WHERE recipient = p.email;
    PERFORM set_config('devworkflow.redacting', 'on', true);
    UPDATE audit SET old = CASE WHEN old IS NULL THEN NULL ELSE old || (v_tomb - ARRAY(SELECT k FROM jsonb_object_keys(v_tomb) k WHERE NOT old ? k)) END,
                     new = CASE WHEN new IS NULL THEN NULL ELSE new || (v_tomb - ARRAY(SELECT k FROM jsonb_object_keys(v_tomb) k WHERE NOT new ? k)) END,
                     redacted_at = now()
    WHERE kind = 'person' AND object = p_login AND (old ?| ARRAY['name', 'email'] OR new ?| ARRAY['name', 'email']);
    PERFORM set_config('devworkflow.redacting', '', true);
    PERFORM audit_record('person', 'forget', p_login, NULL, NULL, v_reason);
END
$$;

-- Reading and privileges ---------------------------------------------------------------------------

ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_read ON audit FOR SELECT USING ((SELECT is_staff()) AND (SELECT (session_person()).role) IN ('admin', 'product_owner'));
CREATE POLICY audit_daemon ON audit FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY event_daemon ON event FOR SELECT TO devworkflow_daemon USING (true);
CREATE POLICY comment_daemon ON comment FOR SELECT TO devworkflow_daemon USING (true);

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA workflow FROM PUBLIC;
REVOKE ALL ON audit FROM PUBLIC, devworkflow_user;
GRANT SELECT ON audit TO devworkflow_staff, devworkflow_daemon;
GRANT SELECT ON event, comment TO devworkflow_daemon;
GRANT EXECUTE ON FUNCTION audit_log(date, text), record_seal(text, bigint, bigint), last_seal(), redact_comment(text, bigint, text),
    forget_person(text, text), require_auditor(), chain_field(text), chain_micros(timestamptz), chain_hex(text), chain_genesis()
    TO devworkflow_user, devworkflow_daemon;
