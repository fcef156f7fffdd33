-- Vendors and requesters where they already are (issue 18): replies by mail, comments heard by
-- mail, calendar feeds.
--
-- A reply is tied to its request and person by a signed reply address: `reply+<request>.<login>.
-- <code>@domain`, the code the first 80 bits of HMAC-SHA256 over both under a secret only this
-- schema's owner reads (ReplyToken in Swift writes and reads the address; the code is made and
-- checked here). No login reads the secret, the daemon included: the daemon is given the codes of
-- the outbox rows it sends (mail_reply_codes), so it can speak for nobody it did not write to.
-- receive_mail() decides everything about a message in one place: seen before, automatic, not
-- authenticated, not tied, another sender, not readable, then applies it through move() and
-- add_comment() as the person it is tied to, with the same refusals as the CLI; a message that is
-- not applied is answered once, through the outbox.

-- The secret ------------------------------------------------------------------------------------

-- HMAC's two padded keys are kept beside the key (RFC 2104: (K xor ipad), (K xor opad)), so a
-- code is two sha256() calls of PostgreSQL itself; pgcrypto is not needed.
CREATE TABLE mail_secret (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    secret     bytea NOT NULL CHECK (length(secret) = 32),
    inner_pad  bytea NOT NULL CHECK (length(inner_pad) = 64),
    outer_pad  bytea NOT NULL CHECK (length(outer_pad) = 64),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A key's 64-byte block xor a byte (0x36 inner, 0x5c outer).
CREATE FUNCTION hmac_pad(p_key bytea, p_byte integer) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    v bytea := p_key || decode(repeat('00', 64 - length(p_key)), 'hex');
BEGIN
    FOR i IN 0..63 LOOP
        v := set_byte(v, i, get_byte(v, i) # p_byte);
    END LOOP;
    RETURN v;
END
$$;

-- 32 bytes from the server's strong random source (gen_random_uuid, in core since PostgreSQL 13).
INSERT INTO mail_secret (secret, inner_pad, outer_pad)
SELECT k, hmac_pad(k, 54), hmac_pad(k, 92)
FROM (SELECT sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())) AS k) s;

-- The code of a reply address: as ReplyToken makes it, over the lower-case request and login,
-- each preceded by its length.
CREATE FUNCTION reply_code(p_request text, p_login text) RETURNS bytea
LANGUAGE sql STABLE AS $$
    SELECT substring(sha256(s.outer_pad || sha256(s.inner_pad || convert_to(
               format(E'devworkflow-reply-v1\n%s:%s%s:%s', octet_length(lower(p_request)), lower(p_request),
                      octet_length(lower(p_login)), lower(p_login)), 'UTF8'))) FROM 1 FOR 10)
    FROM workflow.mail_secret s
$$;

-- Who may hand the schema mail or ask for codes: the daemon's login (a member of
-- devworkflow_daemon, as an MTA's pipe or workflowd --maildir runs) or an admin.
CREATE FUNCTION require_mail_gateway() RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT (pg_has_role(session_user, 'devworkflow_daemon', 'MEMBER') OR coalesce((session_person()).role = 'admin', false)) THEN
        PERFORM refuse('DW403', 'error.mail_gateway_only', 'only the mail gateway (the daemon''s login) or an admin may hand in mail');
    END IF;
END
$$;

-- Mail sent ----------------------------------------------------------------------------------------

-- The Message-ID an e-mail of the row carried (EmailMessage: the first 32 hex digits of the
-- SHA-256 of the idempotency key), kept when the daemon sends it so a reply's In-Reply-To or
-- References names its row.
ALTER TABLE outbox ADD COLUMN message_id text;
CREATE INDEX outbox_message_id_idx ON outbox (message_id) WHERE message_id IS NOT NULL;

-- The person an outbox row was written to: for a vendor's message its first person (the To).
CREATE FUNCTION outbox_login(p_recipient text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT x.login FROM workflow.person x WHERE lower(x.email) = lower(p_recipient) ORDER BY x.login LIMIT 1
$$;

-- For the rows the daemon is about to send by mail: records their Message-IDs and returns the
-- reply code (hex) of each row written to a person about a request.
CREATE FUNCTION mail_reply_codes(p_ids bigint[]) RETURNS TABLE (id bigint, request text, login text, code text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_mail_gateway();
    UPDATE outbox o SET message_id = left(encode(sha256(convert_to(o.idempotency_key, 'UTF8')), 'hex'), 32) || '@devworkflow'
    WHERE o.id = ANY (p_ids) AND o.message_id IS NULL;
    RETURN QUERY
    SELECT o.id, o.request_id, p.login, encode(reply_code(o.request_id, p.login), 'hex')
    FROM outbox o CROSS JOIN LATERAL (SELECT outbox_login(o.recipient) AS login) p
    WHERE o.id = ANY (p_ids) AND o.request_id <> '' AND p.login IS NOT NULL
    ORDER BY o.id;
END
$$;

-- Mail received ------------------------------------------------------------------------------------

-- Every message handed in, once (its Message-ID), with what became of it.
CREATE TABLE mail_in (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  text NOT NULL CONSTRAINT mail_in_message_id_unique UNIQUE CHECK (length(message_id) BETWEEN 1 AND 1000),
    sender      text NOT NULL CHECK (length(sender) <= 1000),
    subject     text NOT NULL CHECK (length(subject) <= 1000),
    received_at timestamptz NOT NULL DEFAULT now(),
    received_by text NOT NULL DEFAULT session_user,
    request_id  text,
    tied_by     text CHECK (tied_by IN ('token', 'reference')),
    actor       text,
    asked       text CHECK (asked IN ('quote', 'deliver', 'comment')),
    outcome     text NOT NULL DEFAULT 'received' CHECK (outcome IN ('received', 'applied', 'refused', 'ignored')),
    -- Why it was not applied: a refusal's DETAIL ({"key": …, values}).
    reason      jsonb,
    event_id    bigint,
    comment_id  bigint,
    -- Names, types, sizes and digests of the files it carried (not kept: see the README).
    attachments jsonb NOT NULL DEFAULT '[]',
    answered    boolean NOT NULL DEFAULT false,
    -- Set only while the message is being applied: actor() acts as `actor` in this transaction.
    acting_xact xid8
);

ALTER TABLE mail_in ENABLE ROW LEVEL SECURITY;
CREATE POLICY mail_in_read ON mail_in FOR SELECT USING ((SELECT is_staff()) AND NOT (SELECT (session_person()).role = 'requester'));
GRANT SELECT ON mail_in TO devworkflow_staff;

-- The person acting: as before (the login's, or for an admin the one named by
-- devworkflow.act_as), and while receive_mail() applies a message, the person it is tied to.
-- Naming a message in the setting is not enough: its row must say it is being applied in this
-- very transaction, which only receive_mail() writes.
CREATE OR REPLACE FUNCTION actor() RETURNS person
LANGUAGE plpgsql STABLE AS $$
DECLARE
    a person;
    v_as text := current_setting('devworkflow.act_as', true);
    v_mail text := current_setting('devworkflow.mail_acting', true);
BEGIN
    IF v_mail ~ '^[0-9]{1,18}$' THEN
        SELECT p.* INTO a FROM workflow.mail_in m JOIN workflow.person p ON p.login = m.actor
        WHERE m.id = v_mail::bigint AND m.acting_xact = pg_current_xact_id_if_assigned();
        IF a.login IS NOT NULL THEN
            RETURN a;
        END IF;
    END IF;
    SELECT * INTO a FROM workflow.person p WHERE p.login = session_user;
    IF a.login IS NULL OR (v_as IS NOT NULL AND v_as <> '' AND v_as <> a.login) THEN
        SELECT (x.person).* INTO a FROM acting_person() x;
    END IF;
    RETURN a;
END
$$;

-- Notifications skip the person who acted and the login that did it: a login with no person
-- record (the mail gateway) skips nobody (0006 compared with NULL and so skipped everyone).
CREATE OR REPLACE FUNCTION notify_event(p_event bigint, r request, a person, p_by text, p_transition text, p_from text, p_to text,
                                        p_version integer, i jsonb, p_audiences text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_skip text[] := CASE WHEN p_by = a.login THEN ARRAY[lower(a.email)]
                          ELSE ARRAY[lower(a.email), coalesce((SELECT lower(email) FROM workflow.person WHERE login = p_by), '')] END;
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
    IF FOUND THEN
        PERFORM wake_daemon();
    END IF;
END
$$;

-- Wakes workflowd, unless the session wakes it after its commit (0005).
CREATE FUNCTION wake_daemon() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('devworkflow.wake_after_commit', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('devworkflow_outbox', '');
    END IF;
END
$$;

-- Comments are heard: a vendor's question by the system's product owners; staff's answer (not an
-- internal one) also by the vendors who read it — the ordered vendor, or while quotes are open
-- every invited one. Never by the person who wrote it.
CREATE FUNCTION notify_comment(p_comment bigint, r request, a person) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    c comment;
    v_vendors text[] := '{}';
    v_skip text[] := ARRAY[lower(a.email), coalesce((SELECT lower(email) FROM person WHERE login = session_user), '')];
BEGIN
    SELECT * INTO c FROM comment WHERE id = p_comment;
    IF a.role <> 'vendor' AND NOT c.internal THEN
        v_vendors := coalesce((SELECT ARRAY[o.vendor] FROM purchase_order o WHERE o.request_id = r.id AND o.cancelled_at IS NULL),
                              CASE WHEN r.state IN ('quote_requested', 'quoted')
                                   THEN ARRAY(SELECT i.vendor FROM invitation i WHERE i.request_id = r.id ORDER BY i.vendor) ELSE '{}' END);
    END IF;
    INSERT INTO outbox (kind, request_id, transition, recipient, recipient_name, lang, cc, payload, idempotency_key)
    SELECT 'notification', r.id, 'comment', d.email, d.name, d.lang, ARRAY(SELECT x FROM unnest(d.cc) x WHERE NOT lower(x) = ANY (v_skip)),
           jsonb_build_object('request', r.id, 'system', r.system, 'title', r.title, 'transition', 'comment', 'actor', a.login,
                              'actor_name', a.name, 'audience', d.audience, 'at', c.at, 'comment', c.body, 'internal', c.internal),
           'comment:' || c.id || ':' || d.key
    FROM recipients(r.id, ARRAY['system_owners'] || CASE WHEN cardinality(v_vendors) > 0 THEN ARRAY['invited_vendors'] ELSE '{}' END, v_vendors) d
    WHERE NOT lower(d.email) = ANY (v_skip)
    ON CONFLICT (idempotency_key) DO NOTHING;
    IF FOUND THEN
        PERFORM wake_daemon();
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION add_comment(p_request text, p_body text, p_internal boolean DEFAULT false) RETURNS bigint
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
    PERFORM notify_comment(v_id, r, a);
    RETURN v_id;
END
$$;

-- Tying and trusting a message -------------------------------------------------------------------

-- The request and person of the first reply address whose code is right; p_tokens is
-- [{"request", "login", "code": hex}] as ReplyToken read them. NULL when none is.
CREATE FUNCTION mail_token_tie(p_tokens jsonb, OUT request text, OUT login text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t jsonb;
BEGIN
    FOR t IN SELECT jsonb_array_elements(coalesce(p_tokens, '[]')) LOOP
        CONTINUE WHEN coalesce(t ->> 'code', '') !~ '^[0-9a-f]{20}$';
        IF reply_code(t ->> 'request', t ->> 'login') = decode(t ->> 'code', 'hex') THEN
            request := (SELECT r.id FROM request r WHERE r.id = upper(t ->> 'request'));
            login := (SELECT p.login FROM person p WHERE lower(p.login) = lower(t ->> 'login')
                      ORDER BY p.login = t ->> 'login' DESC, p.login LIMIT 1);
            RETURN;
        END IF;
    END LOOP;
END
$$;

-- The request and person of the newest message we sent that In-Reply-To or References names.
CREATE FUNCTION mail_reference_tie(p_references jsonb, OUT request text, OUT login text)
LANGUAGE sql STABLE AS $$
    SELECT o.request_id, outbox_login(o.recipient) FROM workflow.outbox o
    WHERE o.message_id IN (SELECT jsonb_array_elements_text(coalesce(p_references, '[]'))) AND o.request_id <> ''
      AND outbox_login(o.recipient) IS NOT NULL
    ORDER BY o.id DESC LIMIT 1
$$;

-- Who a message from p_from acts as, when it answers mail written to p_login: that person; another
-- person of the same vendor writing from their own address; or the person, when the vendor's
-- company address writes. NULL for anyone else.
CREATE FUNCTION mail_sender(p_login text, p_from text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN lower(p.email) = lower(p_from) THEN p.login
        WHEN p.vendor IS NOT NULL THEN coalesce(
            (SELECT q.login FROM workflow.person q WHERE q.vendor = p.vendor AND lower(q.email) = lower(p_from) ORDER BY q.login LIMIT 1),
            (SELECT p.login FROM workflow.vendor v WHERE v.key = p.vendor AND lower(v.email) = lower(p_from)))
    END
    FROM workflow.person p WHERE p.login = p_login
$$;

-- Ends a message that is not applied: records why, and answers its sender once (the outbox's
-- idempotency key is the message's), in their language, unless the sender is a stranger whose
-- origin was not authenticated (a refusal to a forged stranger would be backscatter) or the
-- outcome is `ignored` (automatic mail is never answered).
CREATE FUNCTION mail_refuse(m mail_in, p_outcome text, p_reason jsonb, p_mail jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_from text := lower(btrim(coalesce(p_mail ->> 'from', '')));
    v_person person;
    v_vendor vendor;
    v_answer boolean;
    r request;
BEGIN
    SELECT * INTO v_person FROM person WHERE lower(email) = v_from ORDER BY login LIMIT 1;
    SELECT * INTO v_vendor FROM vendor WHERE lower(email) = v_from ORDER BY key LIMIT 1;
    SELECT * INTO r FROM request WHERE id = m.request_id;
    v_answer := p_outcome = 'refused' AND v_from <> ''
                AND (v_person.login IS NOT NULL OR v_vendor.key IS NOT NULL OR coalesce((p_mail ->> 'authenticated')::boolean, false));
    IF v_answer THEN
        INSERT INTO outbox (kind, request_id, transition, recipient, recipient_name, lang, payload, idempotency_key)
        VALUES ('notification', coalesce(m.request_id, ''), 'mail_refused', v_from,
                coalesce(v_person.name, v_vendor.name, nullif(p_mail ->> 'from_name', '')),
                coalesce(v_person.lang, v_vendor.lang, CASE WHEN p_mail ->> 'lang' IN ('et', 'en') THEN p_mail ->> 'lang' END, 'et'),
                jsonb_build_object('request', m.request_id, 'system', r.system, 'title', r.title, 'transition', 'mail_refused',
                                   'audience', 'sender', 'at', m.received_at, 'subject', m.subject, 'why', p_reason,
                                   'in_reply_to', m.message_id),
                'mail_refused:' || m.message_id)
        ON CONFLICT (idempotency_key) DO NOTHING;
        PERFORM wake_daemon();
    END IF;
    UPDATE mail_in SET outcome = p_outcome, reason = p_reason, answered = v_answer, acting_xact = NULL WHERE id = m.id;
    RETURN jsonb_build_object('outcome', p_outcome, 'reason', p_reason, 'request', m.request_id, 'actor', m.actor,
                              'answered', v_answer, 'message_id', m.message_id);
END
$$;

-- Applies a tied, trusted message as its person: a quote or a delivery through move(), anything
-- else through add_comment(); a quote's remark becomes a comment too. A refusal of the rules is
-- the message's refusal; anything else (a lock that timed out, a lost server) fails the call, and
-- nothing of the message is kept, so the gateway hands it in again later.
CREATE FUNCTION mail_apply(m mail_in, p_content jsonb, p_mail jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_kind text := p_content ->> 'kind';
    v_moved jsonb;
    v_comment bigint;
    v_detail text;
BEGIN
    BEGIN
        UPDATE mail_in SET acting_xact = pg_current_xact_id() WHERE id = m.id;
        PERFORM set_config('devworkflow.mail_acting', m.id::text, true);
        IF v_kind IN ('quote', 'deliver') THEN
            v_moved := move(m.request_id, v_kind, NULL, p_content -> 'inputs');
            IF coalesce(btrim(p_content ->> 'text'), '') <> '' THEN
                v_comment := add_comment(m.request_id, p_content ->> 'text', false);
            END IF;
        ELSE
            v_comment := add_comment(m.request_id, p_content ->> 'text', false);
        END IF;
        PERFORM set_config('devworkflow.mail_acting', '', true);
    EXCEPTION WHEN SQLSTATE 'DW400' OR SQLSTATE 'DW403' OR SQLSTATE 'DW404' OR SQLSTATE 'DW409' OR SQLSTATE 'DW422' THEN
        PERFORM set_config('devworkflow.mail_acting', '', true);
        GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
        RETURN mail_refuse(m, 'refused', CASE WHEN v_detail LIKE '{%' THEN v_detail::jsonb ELSE jsonb_build_object('key', 'error.mail_not_applied') END,
                           p_mail);
    END;
    UPDATE mail_in SET outcome = 'applied', acting_xact = NULL, event_id = (v_moved ->> 'event')::bigint, comment_id = v_comment
    WHERE id = m.id;
    RETURN jsonb_build_object('outcome', 'applied', 'request', m.request_id, 'actor', m.actor, 'asked', v_kind,
                              'state', v_moved ->> 'state', 'version', (v_moved ->> 'version')::integer, 'comment', v_comment,
                              'message_id', m.message_id);
END
$$;

-- Hands in one message, read by the gateway (MailGateway in Swift: it parses, the schema decides):
-- {"message_id", "from", "from_name", "subject", "automatic": reason or null, "authenticated": bool,
--  "auth_failure": {"method", "result"} or null, "tokens": [{"request", "login", "code"}],
--  "references": [ids], "content": {"kind": quote|deliver|comment, "inputs", "text"},
--  "content_error": a refusal's DETAIL or null, "attachments": [{"name", "type", "size", "sha256"}],
--  "lang": et|en or null}.
-- Returns {"outcome": applied|refused|ignored|duplicate, …}.
CREATE FUNCTION receive_mail(p_mail jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    m mail_in;
    v_tie record;
    v_kind text := p_mail #>> '{content,kind}';
BEGIN
    PERFORM require_mail_gateway();
    IF jsonb_typeof(p_mail) IS DISTINCT FROM 'object' OR coalesce(p_mail ->> 'message_id', '') = '' THEN
        PERFORM refuse('DW400', 'error.mail_document', 'receive_mail takes a JSON object with a message_id');
    END IF;
    INSERT INTO mail_in (message_id, sender, subject, attachments, asked)
    VALUES (left(p_mail ->> 'message_id', 1000), left(coalesce(p_mail ->> 'from', ''), 1000), left(coalesce(p_mail ->> 'subject', ''), 1000),
            coalesce(p_mail -> 'attachments', '[]'), CASE WHEN v_kind IN ('quote', 'deliver', 'comment') THEN v_kind END)
    ON CONFLICT (message_id) DO NOTHING
    RETURNING * INTO m;
    IF m.id IS NULL THEN
        -- Seen before: applied at most once, answered at most once.
        SELECT * INTO m FROM mail_in WHERE message_id = left(p_mail ->> 'message_id', 1000);
        RETURN jsonb_build_object('outcome', 'duplicate', 'original', m.outcome, 'request', m.request_id, 'message_id', m.message_id);
    END IF;
    IF coalesce(p_mail ->> 'automatic', '') <> '' THEN
        RETURN mail_refuse(m, 'ignored', jsonb_build_object('key', 'error.mail_automatic', 'why', p_mail ->> 'automatic'), p_mail);
    END IF;
    IF m.message_id LIKE '%@devworkflow' THEN
        RETURN mail_refuse(m, 'ignored', jsonb_build_object('key', 'error.mail_own'), p_mail);
    END IF;
    IF jsonb_typeof(p_mail -> 'auth_failure') = 'object' THEN
        RETURN mail_refuse(m, 'refused', jsonb_build_object('key', 'error.mail_not_authenticated', 'method', p_mail #>> '{auth_failure,method}',
                                                            'result', p_mail #>> '{auth_failure,result}'), p_mail);
    END IF;
    SELECT * INTO v_tie FROM mail_token_tie(p_mail -> 'tokens');
    IF v_tie.login IS NOT NULL AND v_tie.request IS NOT NULL THEN
        UPDATE mail_in SET request_id = v_tie.request, tied_by = 'token' WHERE id = m.id RETURNING * INTO m;
    ELSIF jsonb_array_length(coalesce(p_mail -> 'tokens', '[]')) > 0 THEN
        RETURN mail_refuse(m, 'refused', jsonb_build_object('key', 'error.mail_token_invalid'), p_mail);
    ELSE
        SELECT * INTO v_tie FROM mail_reference_tie(p_mail -> 'references');
        IF v_tie.login IS NULL THEN
            RETURN mail_refuse(m, 'refused', jsonb_build_object('key', 'error.mail_not_tied'), p_mail);
        END IF;
        UPDATE mail_in SET request_id = v_tie.request, tied_by = 'reference' WHERE id = m.id RETURNING * INTO m;
    END IF;
    UPDATE mail_in SET actor = mail_sender(v_tie.login, p_mail ->> 'from') WHERE id = m.id RETURNING * INTO m;
    IF m.actor IS NULL THEN
        RETURN mail_refuse(m, 'refused', jsonb_build_object('key', 'error.mail_other_sender', 'sender', left(p_mail ->> 'from', 200),
                                                            'request', m.request_id), p_mail);
    END IF;
    IF jsonb_typeof(p_mail -> 'content_error') = 'object' THEN
        RETURN mail_refuse(m, 'refused', p_mail -> 'content_error', p_mail);
    END IF;
    IF v_kind IS DISTINCT FROM 'comment' AND m.tied_by = 'reference' THEN
        -- In-Reply-To can be guessed; only the signed reply address moves a request.
        RETURN mail_refuse(m, 'refused', jsonb_build_object('key', 'error.mail_command_needs_token', 'request', m.request_id), p_mail);
    END IF;
    RETURN mail_apply(m, p_mail -> 'content', p_mail);
END
$$;

-- Calendars --------------------------------------------------------------------------------------

-- A person's or a vendor's dates, for an RFC 5545 feed: {"name", "lang", "stamp", "events": [{"kind",
-- "id", "date", "last_date", "request", "system", "title", "vendor", "order", "detail"}]}. A vendor's
-- user reads their own and their vendor's feed, a person their own, admins and the daemon any;
-- another is refused as missing. `stamp` is the newest change among the events (the same data,
-- the same feed). Windows: a delivery is to be accepted within the acceptance_pending rule's
-- business days, an acceptance released within release_pending's.
CREATE FUNCTION calendar_feed(p_person text, p_vendor text, p_today date) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_any boolean := pg_has_role(session_user, 'devworkflow_daemon', 'MEMBER');
    a person;
    p person;
    v vendor;
    v_scope text;
    v_accept integer := (SELECT business_days FROM reminder_rule WHERE key = 'acceptance_pending');
    v_release integer := (SELECT business_days FROM reminder_rule WHERE key = 'release_pending');
    v_year integer := extract(year FROM p_today)::integer;
    v_events jsonb;
BEGIN
    IF NOT v_any THEN
        a := actor();
        v_any := a.role = 'admin';
    END IF;
    IF (p_person IS NULL) = (p_vendor IS NULL) THEN
        PERFORM refuse('DW400', 'error.feed_whose', 'a calendar feed is of one person or one vendor');
    END IF;
    PERFORM checked_date('today', p_today);
    IF p_person IS NOT NULL THEN
        SELECT * INTO p FROM person WHERE login = p_person;
        IF p.login IS NULL OR NOT (v_any OR a.login = p.login) THEN
            PERFORM refuse('DW404', 'error.no_feed_person', format('no person %s', left(p_person, 63)), jsonb_build_object('login', left(p_person, 63)));
        END IF;
        v_scope := CASE WHEN p.role = 'vendor' THEN NULL ELSE p.role END;
        SELECT * INTO v FROM vendor WHERE key = p.vendor;
    ELSE
        SELECT * INTO v FROM vendor WHERE key = p_vendor;
        IF v.key IS NULL OR NOT (v_any OR (a.role = 'vendor' AND a.vendor = v.key)) THEN
            PERFORM refuse('DW404', 'error.no_vendor', format('no vendor %s', left(p_vendor, 40)), jsonb_build_object('vendor', left(p_vendor, 40)));
        END IF;
    END IF;
    WITH staff_requests AS (
        SELECT r.* FROM request r
        WHERE v_scope = 'admin'
           OR (v_scope = 'product_owner' AND r.system IN (SELECT system FROM person_system WHERE login = p.login))
           OR (v_scope = 'requester' AND r.requester_login = p.login)
    ), events AS (
        -- Staff: the request's own dates.
        SELECT 'quote-due' AS kind, r.id, r.quote_due AS day, NULL::date AS last_day, r.id AS request, r.system, r.title,
               NULL::text AS vendor, NULL::text AS order_number, NULL::text AS detail, r.state_since AS changed
        FROM staff_requests r WHERE r.state IN ('quote_requested', 'quoted') AND r.quote_due IS NOT NULL
        UNION ALL
        SELECT 'order-deadline', r.id, o.deadline, NULL, r.id, r.system, r.title, o.vendor, o.number, NULL, r.state_since
        FROM staff_requests r JOIN purchase_order o ON o.request_id = r.id WHERE r.state = 'ordered'
        UNION ALL
        SELECT 'acceptance-window', r.id, (o.delivered_at AT TIME ZONE 'Europe/Tallinn')::date,
               add_business_days((o.delivered_at AT TIME ZONE 'Europe/Tallinn')::date, v_accept), r.id, r.system, r.title, o.vendor, o.number, NULL,
               r.state_since
        FROM staff_requests r JOIN purchase_order o ON o.request_id = r.id WHERE r.state = 'delivered' AND o.delivered_at IS NOT NULL
        UNION ALL
        SELECT 'release-window', r.id, (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date,
               add_business_days((o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date, v_release), r.id, r.system, r.title, o.vendor, o.number, NULL,
               r.state_since
        FROM staff_requests r JOIN purchase_order o ON o.request_id = r.id WHERE r.state = 'accepted' AND o.accepted_at IS NOT NULL
        UNION ALL
        -- A vendor: its own invitations not yet quoted, its own orders.
        SELECT 'quote-due', r.id || '-' || i.vendor, i.due, NULL, r.id, r.system, r.title, i.vendor, NULL, NULL, greatest(r.state_since, i.invited_at)
        FROM invitation i JOIN request r ON r.id = i.request_id
        WHERE v_scope IS NULL AND i.vendor = v.key AND r.state IN ('quote_requested', 'quoted')
          AND NOT EXISTS (SELECT 1 FROM quote q WHERE q.request_id = i.request_id AND q.vendor = i.vendor)
        UNION ALL
        SELECT CASE r.state WHEN 'ordered' THEN 'order-deadline' WHEN 'delivered' THEN 'acceptance-window' ELSE 'release-window' END,
               r.id || '-' || o.vendor,
               CASE r.state WHEN 'ordered' THEN o.deadline WHEN 'delivered' THEN (o.delivered_at AT TIME ZONE 'Europe/Tallinn')::date
                            ELSE (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date END,
               CASE r.state WHEN 'ordered' THEN NULL
                            WHEN 'delivered' THEN add_business_days((o.delivered_at AT TIME ZONE 'Europe/Tallinn')::date, v_accept)
                            ELSE add_business_days((o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date, v_release) END,
               r.id, r.system, r.title, o.vendor, o.number, NULL, r.state_since
        FROM purchase_order o JOIN request r ON r.id = o.request_id
        WHERE v_scope IS NULL AND o.vendor = v.key AND o.cancelled_at IS NULL
          AND (r.state = 'ordered' OR (r.state = 'delivered' AND o.delivered_at IS NOT NULL) OR (r.state = 'accepted' AND o.accepted_at IS NOT NULL))
        UNION ALL
        -- Contracts that have not ended: a vendor's own; staff who manage orders (admins, product owners) all.
        SELECT 'contract-end', c.number, c.valid_to, NULL, NULL, NULL, NULL, c.vendor, NULL, c.number, c.created_at
        FROM contract c
        WHERE c.valid_to >= p_today AND ((v_scope IS NULL AND c.vendor = v.key) OR v_scope IN ('admin', 'product_owner'))
        UNION ALL
        -- The days off of this year and the next.
        SELECT o.kind, o.day::text, o.day, NULL, NULL, NULL, NULL, NULL, NULL,
               coalesce(o.key, (SELECT note FROM calendar_closure WHERE day = o.day)),
               (SELECT added_at FROM calendar_closure WHERE day = o.day AND o.kind = 'closure')
        FROM days_off(make_date(v_year, 1, 1), make_date(least(v_year + 1, 2100), 12, 31)) o
    )
    SELECT jsonb_build_object(
        'name', coalesce(p.name, v.name), 'lang', coalesce(p.lang, v.lang), 'person', p.login, 'vendor', CASE WHEN p.login IS NULL THEN v.key END,
        'stamp', max(e.changed),
        'events', coalesce(jsonb_agg(jsonb_build_object('kind', e.kind, 'id', e.id, 'date', e.day, 'last_date', e.last_day, 'request', e.request,
                                                        'system', e.system, 'title', e.title, 'vendor', e.vendor, 'order', e.order_number,
                                                        'detail', e.detail)
                                     ORDER BY e.day, e.kind, e.id) FILTER (WHERE e.day IS NOT NULL), '[]'))
    INTO v_events FROM events e;
    RETURN v_events;
END
$$;

-- Privileges -------------------------------------------------------------------------------------
-- mail_secret is read by nobody but the owner's functions. receive_mail, mail_reply_codes and
-- calendar_feed check who calls them.
REVOKE ALL ON mail_secret FROM PUBLIC;
-- 0006's ALTER DEFAULT PRIVILEGES … IN SCHEMA cannot take away the global default (PUBLIC may
-- execute a new function): a per-schema default only adds. So each migration revokes it.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA workflow FROM PUBLIC;
GRANT EXECUTE ON FUNCTION receive_mail(jsonb), calendar_feed(text, text, date) TO devworkflow_user;
GRANT EXECUTE ON FUNCTION receive_mail(jsonb), mail_reply_codes(bigint[]), calendar_feed(text, text, date) TO devworkflow_daemon;
