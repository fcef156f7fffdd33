-- Documents as evidence: files attached to requests, kept in the database, and the facts of an
-- acceptance act.
--
-- A file is one request_file row and its bytes in request_file_chunk, a row per chunk (the client
-- sends 1 MiB). An upload is one transaction: attach_begin() opens the file, attach_chunk() adds
-- each chunk in order, attach_finish() checks the size, numbers the file within its request and
-- appends its `attach` event; a deferred trigger refuses a commit with an unfinished file, so a
-- client killed or cut off mid-way leaves nothing: no file, no chunk, no event.
--
-- Why a function per chunk and not COPY: COPY FROM needs INSERT on a table (logins hold none),
-- and COPY into a temporary table would write every byte twice and leave the definer function
-- reading a table the login owns. A chunk bound in binary format is stored once, sent pipelined
-- so the client reads and hashes the next chunk while the server stores this one.
--
-- The SHA-256 is computed by the client as it streams (the server cannot hash a file larger than
-- one bytea value incrementally); the server checks the size against the chunks it stored and
-- the digest's form, and records both in the event. Whoever reads the file back recomputes it.
--
-- The event is chained like every other (0008's event_chained trigger): the file's SHA-256 is in
-- the request's hash chain. The attach event advances the request's version like a move does:
-- the history keeps its invariants (seq 1..version without a gap, the last event's state the
-- request's), and a client holding an older version learns that the request changed. It is transition-less: from_state =
-- to_state, and no workflow_transition row (the flow report leaves it out of times in state).

-- Settings an admin may change ------------------------------------------------------------------

CREATE TABLE setting (
    key   text PRIMARY KEY,
    value text NOT NULL CONSTRAINT setting_value_length CHECK (length(value) <= 500)
);

-- The buyer of every order is the organisation that runs DevWorkflow; the registry code is a
-- placeholder until an admin sets the real one (`workflowctl setting set organisation_registry_code …`).
INSERT INTO setting (key, value) VALUES
    ('file_size_limit', '104857600'),
    ('organisation_name', 'Eesti Linnade ja Valdade Liit'),
    ('organisation_registry_code', '80000000'),
    ('organisation_address', '');

CREATE FUNCTION setting_value(p_key text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT value FROM workflow.setting WHERE key = p_key
$$;

-- The largest file an upload may store, in bytes.
CREATE FUNCTION file_size_limit() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT workflow.setting_value('file_size_limit')::bigint
$$;

-- A setting's value as it will be kept, or a refusal: one rule per key, here.
CREATE FUNCTION checked_setting(p_key text, p_value text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    CASE p_key
    WHEN 'file_size_limit' THEN
        IF p_value IS NULL OR p_value !~ '^[0-9]{1,13}$' OR p_value::bigint NOT BETWEEN 1 AND 1099511627776 THEN
            PERFORM refuse('DW422', 'error.setting_bytes', format('%s must be a number of bytes from 1 to 1099511627776', p_key),
                           jsonb_build_object('setting', p_key, 'value', left(p_value, 40)));
        END IF;
        RETURN p_value::bigint::text;
    WHEN 'organisation_name' THEN
        RETURN checked_name('organisation', p_value);
    WHEN 'organisation_registry_code' THEN
        IF p_value IS NULL OR p_value !~ '^[0-9]{8}$' THEN
            PERFORM refuse('DW422', 'error.registry_code', format('registry code %s: expected 8 digits', left(p_value, 40)),
                           jsonb_build_object('value', left(p_value, 40)));
        END IF;
        RETURN p_value;
    WHEN 'organisation_address' THEN
        RETURN coalesce(btrim(checked_text('address', p_value, 300, false)), '');
    ELSE
        PERFORM refuse('DW404', 'error.no_setting', format('no setting %s', left(p_key, 60)),
                       jsonb_build_object('setting', left(p_key, 60),
                                          'known', 'words:' || (SELECT string_agg(key, ',' ORDER BY key) FROM workflow.setting)));
    END CASE;
    RETURN NULL;
END
$$;

CREATE FUNCTION set_setting(p_key text, p_value text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_value text;
BEGIN
    PERFORM require_admin();
    v_value := checked_setting(p_key, p_value);
    UPDATE setting SET value = v_value WHERE key = p_key;
    RETURN v_value;
END
$$;

-- Files -----------------------------------------------------------------------------------------

CREATE TABLE request_file (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id    text NOT NULL REFERENCES request,
    -- The file's number within its request (`request file ID N`), given when the upload finishes.
    n             integer CONSTRAINT request_file_n_positive CHECK (n > 0),
    -- The name people gave it, shown (never used as a path); and the same name cleaned of
    -- slashes and control characters, offered as a file name.
    original_name text NOT NULL CONSTRAINT request_file_original_name_length CHECK (length(original_name) BETWEEN 1 AND 1000),
    name          text NOT NULL CONSTRAINT request_file_name_clean CHECK (name ~ '^[^/\\\x01-\x1f\x7f]{1,200}$' AND name NOT IN ('.', '..')),
    kind          text NOT NULL CHECK (kind IN ('spec', 'quote', 'delivery', 'test_report', 'acceptance', 'other')),
    internal      boolean NOT NULL DEFAULT false,
    -- Who besides staff reads the file: '*' every vendor that sees the request, a vendor key only
    -- that vendor (its own files, its quote), NULL nobody (internal, or staff's copy of a quote).
    audience      text,
    size          bigint NOT NULL DEFAULT 0 CONSTRAINT request_file_size_range CHECK (size BETWEEN 0 AND 1099511627776),
    chunks        integer NOT NULL DEFAULT 0,
    -- NULL while the upload runs; a committed file always has it (request_file_complete).
    sha256        text CONSTRAINT request_file_sha256_format CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    attached_by   text NOT NULL,
    by_login      text NOT NULL,
    attached_at   timestamptz NOT NULL DEFAULT now(),
    event_seq     integer,
    CONSTRAINT request_file_number_unique UNIQUE (request_id, n)
);

CREATE TABLE request_file_chunk (
    file_id bigint NOT NULL REFERENCES request_file,
    n       integer NOT NULL CONSTRAINT request_file_chunk_n_range CHECK (n >= 0),
    data    bytea NOT NULL,
    PRIMARY KEY (file_id, n)
);
-- Stored as it comes, not compressed: most documents (PDF, office files, archives, images) are
-- compressed already, and pglz would spend the server's time on each chunk for nothing.
ALTER TABLE request_file_chunk ALTER COLUMN data SET STORAGE EXTERNAL;

-- Nothing half-stored: a transaction that opened a file commits only with the file finished.
CREATE FUNCTION request_file_complete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM request_file WHERE id = NEW.id AND (sha256 IS NULL OR n IS NULL)) THEN
        PERFORM refuse('DW422', 'error.file_unfinished', format('the upload of %s to %s was not finished', NEW.original_name, NEW.request_id),
                       jsonb_build_object('request', NEW.request_id, 'name', NEW.original_name));
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER request_file_finished AFTER INSERT ON request_file DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION request_file_complete();

-- A stored file does not change, not even by its table's owner.
CREATE TRIGGER request_file_append_only BEFORE DELETE ON request_file FOR EACH ROW EXECUTE FUNCTION history_is_append_only();
CREATE TRIGGER request_file_chunk_append_only BEFORE UPDATE OR DELETE ON request_file_chunk FOR EACH ROW EXECUTE FUNCTION history_is_append_only();

-- A name as a file name: no slash, backslash or control character, no leading dot, at most 200
-- characters; something always remains.
CREATE FUNCTION clean_file_name(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(nullif(left(btrim(ltrim(regexp_replace(regexp_replace(coalesce(p_name, ''), '[\x01-\x1f\x7f]', '', 'g'),
                                                        '[/\\]', '_', 'g'), '.')), 200), ''), 'file')
$$;

-- Who besides staff reads a file: a vendor's user attaches for its own vendor; staff keep an
-- internal file, and a quote they record, to themselves; everything else is for every vendor
-- that sees the request.
CREATE FUNCTION file_audience(a person, p_kind text, p_internal boolean) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a.role = 'vendor' THEN a.vendor
                WHEN p_internal OR p_kind = 'quote' THEN NULL
                ELSE '*' END
$$;

-- Whether the acting person reads a file: staff every file, a vendor's user the files of the
-- requests its vendor sees that are for every vendor or for its own (never NULL: a staff-only
-- file's audience is NULL).
CREATE FUNCTION file_visible(f request_file, a person) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT a.role <> 'vendor' OR (coalesce(f.audience IN ('*', a.vendor), false) AND workflow.vendor_sees(f.request_id, a.vendor))
$$;

CREATE FUNCTION checked_file_size(p_size bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_limit bigint := file_size_limit();
BEGIN
    IF p_size > v_limit THEN
        PERFORM refuse('DW422', 'error.file_too_large', format('the file is larger than the limit of %s bytes', v_limit),
                       jsonb_build_object('size', p_size, 'limit', v_limit));
    END IF;
    RETURN p_size;
END
$$;

-- Opens an upload in the caller's transaction; returns the id attach_chunk() and attach_finish()
-- take. p_size, when the client knows it, is refused at once if over the limit.
CREATE FUNCTION attach_begin(p_request text, p_name text, p_kind text DEFAULT 'other', p_internal boolean DEFAULT false,
                             p_size bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
    v_kind text := coalesce(p_kind, 'other');
    v_id bigint;
BEGIN
    IF v_kind NOT IN ('spec', 'quote', 'delivery', 'test_report', 'acceptance', 'other') THEN
        PERFORM refuse('DW400', 'error.file_kind', format('kind %s: expected spec, quote, delivery, test_report, acceptance or other', left(v_kind, 40)),
                       jsonb_build_object('value', left(v_kind, 40), 'known', 'words:spec,quote,delivery,test_report,acceptance,other'));
    END IF;
    IF coalesce(p_internal, false) AND a.role = 'vendor' THEN
        PERFORM refuse('DW403', 'error.internal_file_for_staff', 'only staff may keep a file internal');
    END IF;
    IF coalesce(p_name, '') = '' OR length(p_name) > 1000 THEN
        PERFORM refuse('DW422', 'error.file_name', 'a file needs a name of 1 to 1000 characters');
    END IF;
    PERFORM checked_file_size(p_size);
    INSERT INTO request_file (request_id, original_name, name, kind, internal, audience, attached_by, by_login)
    VALUES (r.id, p_name, clean_file_name(p_name), v_kind, coalesce(p_internal, false), file_audience(a, v_kind, p_internal),
            a.login, session_user)
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- Adds the next chunk (0, 1, 2 … in order) to an upload this login opened in this transaction.
CREATE FUNCTION attach_chunk(p_file bigint, p_chunk integer, p_data bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_size bigint;
BEGIN
    UPDATE request_file SET size = size + octet_length(p_data), chunks = chunks + 1
    WHERE id = p_file AND chunks = p_chunk AND sha256 IS NULL AND by_login = session_user
    RETURNING size INTO v_size;
    IF v_size IS NULL THEN
        PERFORM refuse('DW409', 'error.file_upload', format('no upload %s waits for chunk %s in this transaction', p_file, p_chunk),
                       jsonb_build_object('upload', p_file, 'chunk', p_chunk));
    END IF;
    PERFORM checked_file_size(v_size);
    INSERT INTO request_file_chunk (file_id, n, data) VALUES (p_file, p_chunk, p_data);
END
$$;

-- Finishes an upload: the size the client sent must be what was stored; the file gets the next
-- number of its request and an `attach` event, which advances the request's version.
CREATE FUNCTION attach_finish(p_file bigint, p_size bigint, p_sha256 text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    f request_file;
    r request;
    v_n integer;
BEGIN
    SELECT * INTO f FROM request_file WHERE id = p_file AND sha256 IS NULL AND by_login = session_user;
    IF f.id IS NULL THEN
        PERFORM refuse('DW409', 'error.file_upload', format('no upload %s in this transaction', p_file),
                       jsonb_build_object('upload', p_file, 'chunk', '-'));
    END IF;
    IF p_size IS DISTINCT FROM f.size THEN
        PERFORM refuse('DW422', 'error.file_size_mismatch', format('%s bytes were stored, not the %s sent', f.size, p_size),
                       jsonb_build_object('stored', f.size, 'sent', coalesce(p_size::text, '-')));
    END IF;
    IF p_sha256 IS NULL OR p_sha256 !~ '^[0-9a-f]{64}$' THEN
        PERFORM refuse('DW400', 'error.file_digest', 'a SHA-256 is 64 lowercase hex digits', jsonb_build_object('value', left(p_sha256, 80)));
    END IF;
    r := visible_request(f.request_id, a, true);
    SELECT coalesce(max(n), 0) + 1 INTO v_n FROM request_file WHERE request_id = r.id;
    UPDATE request SET version = r.version + 1 WHERE id = r.id;
    INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, inputs, audience)
    VALUES (r.id, r.version + 1, 'attach', r.state, r.state, a.login, session_user,
            jsonb_build_object('file', v_n, 'name', f.original_name, 'kind', f.kind, 'size', f.size, 'sha256', p_sha256),
            f.audience);
    UPDATE request_file SET n = v_n, sha256 = p_sha256, event_seq = r.version + 1 WHERE id = f.id;
    RETURN jsonb_build_object('request', r.id, 'file', v_n, 'name', f.original_name, 'stored_name', f.name, 'kind', f.kind,
                              'size', f.size, 'sha256', p_sha256, 'internal', f.internal, 'version', r.version + 1);
END
$$;

-- A request's files as the acting person may see them, in the order they were attached.
CREATE FUNCTION request_files(p_request text)
RETURNS TABLE (n integer, name text, stored_name text, kind text, size bigint, sha256 text, internal boolean, vendor text,
               attached_by text, attached_at timestamptz, chunks integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
BEGIN
    RETURN QUERY
    SELECT f.n, f.original_name, f.name, f.kind, f.size, f.sha256, f.internal, nullif(f.audience, '*'), f.attached_by, f.attached_at, f.chunks
    FROM request_file f WHERE f.request_id = r.id AND f.n IS NOT NULL AND file_visible(f, a)
    ORDER BY f.n;
END
$$;

-- One file as the acting person may see it; a hidden file is refused like a missing one.
CREATE FUNCTION visible_file(p_request text, p_n integer, a person) RETURNS request_file
LANGUAGE plpgsql STABLE AS $$
DECLARE
    r request := visible_request(p_request, a, false);
    f request_file;
BEGIN
    SELECT * INTO f FROM request_file WHERE request_id = r.id AND n = p_n;
    IF f.id IS NULL OR file_visible(f, a) IS NOT TRUE THEN
        PERFORM refuse('DW404', 'error.no_file', format('%s has no file %s', p_request, p_n), jsonb_build_object('request', p_request, 'file', p_n));
    END IF;
    RETURN f;
END
$$;

CREATE FUNCTION request_file(p_request text, p_n integer)
RETURNS TABLE (n integer, name text, stored_name text, kind text, size bigint, sha256 text, internal boolean, vendor text,
               attached_by text, attached_at timestamptz, chunks integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    f request_file := visible_file(p_request, p_n, actor());
BEGIN
    RETURN QUERY SELECT f.n, f.original_name, f.name, f.kind, f.size, f.sha256, f.internal, nullif(f.audience, '*'), f.attached_by,
                        f.attached_at, f.chunks;
END
$$;

-- One chunk of a file the acting person may see (the client asks for 0 … chunks - 1, pipelined).
CREATE FUNCTION file_chunk(p_request text, p_n integer, p_chunk integer) RETURNS bytea
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    f request_file := visible_file(p_request, p_n, actor());
BEGIN
    RETURN (SELECT c.data FROM request_file_chunk c WHERE c.file_id = f.id AND c.n = p_chunk);
END
$$;

-- What invited vendors receive with the request for a quote: the request's spec files that every
-- vendor may read. workflowd attaches them to the mail (or lists them, past its size limit).
CREATE FUNCTION quote_documents(p_request text)
RETURNS TABLE (id bigint, n integer, name text, stored_name text, size bigint, sha256 text, chunks integer)
LANGUAGE sql STABLE AS $$
    SELECT f.id, f.n, f.original_name, f.name, f.size, f.sha256, f.chunks FROM workflow.request_file f
    WHERE f.request_id = p_request AND f.kind = 'spec' AND f.audience = '*' AND f.n IS NOT NULL
    ORDER BY f.n
$$;

-- A vendor's report lists the files of its requests that it may read, with their digests: the
-- one text of that query (inlined for readers of the tables), and the function a vendor's login
-- reads it through.
CREATE FUNCTION vendor_report_files_query(p_vendor text)
RETURNS TABLE (request text, system text, file integer, name text, kind text, size bigint, sha256 text, attached_on date)
LANGUAGE sql STABLE AS $$
    SELECT r.id, r.system, f.n, f.original_name, f.kind, f.size, f.sha256, (f.attached_at AT TIME ZONE 'Europe/Tallinn')::date
    FROM workflow.invitation i
    JOIN workflow.request r ON r.id = i.request_id
    JOIN workflow.request_file f ON f.request_id = i.request_id AND (f.audience = '*' OR f.audience = i.vendor)
    WHERE i.vendor = p_vendor AND f.n IS NOT NULL
    ORDER BY r.system, r.number, f.n
$$;

CREATE FUNCTION vendor_report_files(p_vendor text)
RETURNS TABLE (request text, system text, file integer, name text, kind text, size bigint, sha256 text, attached_on date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM vendor_report_name(p_vendor);
    RETURN QUERY SELECT * FROM vendor_report_files_query(p_vendor);
END
$$;

-- The acceptance act ------------------------------------------------------------------------------

-- The facts of an accepted (or released) order's acceptance act, as one JSON document: the buyer
-- (this organisation's settings) and the vendor with their registry codes, the contract, the
-- order, the request, the deliveries and returns from its history, the price (VAT when the order
-- records it), the files both parties read (not staff's internal ones, nor another vendor's), so
-- that staff and the vendor get the same act. Staff and the ordered vendor's users read it; an
-- order that does not exist or is another vendor's is refused alike.
CREATE FUNCTION order_act(p_order text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    o purchase_order;
    r request;
    v vendor;
    c contract;
    v_vat_rate numeric;
    v_vat numeric;
BEGIN
    SELECT * INTO o FROM purchase_order WHERE number = p_order;
    IF o.number IS NULL OR (a.role = 'vendor' AND o.vendor IS DISTINCT FROM a.vendor) THEN
        PERFORM refuse('DW404', 'error.no_order', format('no order %s', left(p_order, 40)), jsonb_build_object('order', left(p_order, 40)));
    END IF;
    SELECT * INTO r FROM request WHERE id = o.request_id;
    IF o.accepted_at IS NULL OR r.state NOT IN ('accepted', 'released') THEN
        PERFORM refuse('DW422', 'error.order_not_accepted', format('order %s is not accepted (its request %s is %s)', o.number, r.id, r.state),
                       jsonb_build_object('order', o.number, 'request', r.id, 'state', 'state:' || r.state));
    END IF;
    SELECT * INTO v FROM vendor WHERE key = o.vendor;
    SELECT * INTO c FROM contract WHERE id = o.contract_id;
    -- VAT and the vendor's registry code come with the money issue's migration; read them when
    -- they are there, so the act shows the net amount alone before.
    v_vat_rate := (to_jsonb(o) ->> 'vat_rate')::numeric;
    v_vat := coalesce((to_jsonb(o) ->> 'vat')::numeric, round(o.price * v_vat_rate / 100, 2));
    RETURN jsonb_build_object(
        'buyer', jsonb_build_object('name', setting_value('organisation_name'), 'registry_code', setting_value('organisation_registry_code'),
                                    'address', nullif(setting_value('organisation_address'), '')),
        'vendor', jsonb_build_object('key', v.key, 'name', v.name, 'registry_code', to_jsonb(v) ->> 'registry_code',
                                     'address', to_jsonb(v) ->> 'address'),
        'contract', CASE WHEN c.id IS NOT NULL THEN jsonb_build_object('number', c.number, 'valid_from', c.valid_from, 'valid_to', c.valid_to) END,
        'order', jsonb_build_object('number', o.number, 'date', o.order_date, 'deadline', o.deadline),
        'request', jsonb_build_object('id', r.id, 'title', r.title, 'summary', nullif(r.description, '')),
        'delivery_note', coalesce(o.delivery_note, ''),
        'deliveries', coalesce((SELECT jsonb_agg((e.at AT TIME ZONE 'Europe/Tallinn')::date ORDER BY e.seq)
                                FROM event e WHERE e.request_id = r.id AND e.transition = 'deliver'), '[]'),
        'returns', coalesce((SELECT jsonb_agg(jsonb_build_object('date', (e.at AT TIME ZONE 'Europe/Tallinn')::date,
                                                                 'reason', e.inputs ->> 'reason') ORDER BY e.seq)
                             FROM event e WHERE e.request_id = r.id AND e.transition = 'return'), '[]'),
        'accepted', (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date,
        'net', o.price,
        'vat', CASE WHEN v_vat_rate IS NOT NULL THEN jsonb_build_object('rate', v_vat_rate, 'amount', v_vat) END,
        'files', coalesce((SELECT jsonb_agg(jsonb_build_object('n', f.n, 'name', f.original_name, 'kind', f.kind, 'size', f.size,
                                                               'sha256', f.sha256) ORDER BY f.n)
                           FROM request_file f WHERE f.request_id = r.id AND f.n IS NOT NULL AND f.audience IN ('*', o.vendor)), '[]'));
END
$$;

-- A setting an admin changes is on the record (0008's audit log), like the rest of the configuration.
CREATE TRIGGER setting_audited AFTER INSERT OR UPDATE OR DELETE ON setting FOR EACH ROW EXECUTE FUNCTION audit_change('key');

-- Privileges ---------------------------------------------------------------------------------------

ALTER TABLE setting ENABLE ROW LEVEL SECURITY;
CREATE POLICY setting_read ON setting FOR SELECT USING ((SELECT is_staff()));
CREATE POLICY setting_daemon ON setting FOR SELECT TO devworkflow_daemon USING (true);
ALTER TABLE request_file ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_file_read ON request_file FOR SELECT USING ((SELECT is_staff()));
CREATE POLICY request_file_daemon ON request_file FOR SELECT TO devworkflow_daemon USING (true);
ALTER TABLE request_file_chunk ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_file_chunk_read ON request_file_chunk FOR SELECT USING ((SELECT is_staff()));
CREATE POLICY request_file_chunk_daemon ON request_file_chunk FOR SELECT TO devworkflow_daemon USING (true);

REVOKE ALL ON setting, request_file, request_file_chunk FROM PUBLIC;
-- Per-schema default privileges cannot take back PUBLIC's global EXECUTE: every function is
-- the owner's until granted below.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA workflow FROM PUBLIC;
GRANT SELECT ON setting, request_file, request_file_chunk TO devworkflow_staff, devworkflow_daemon;
GRANT EXECUTE ON FUNCTION
    set_setting(text, text), attach_begin(text, text, text, boolean, bigint), attach_chunk(bigint, integer, bytea),
    attach_finish(bigint, bigint, text), request_files(text), request_file(text, integer), file_chunk(text, integer, integer),
    order_act(text), vendor_report_files(text), vendor_report_files_query(text)
TO devworkflow_user;
GRANT EXECUTE ON FUNCTION quote_documents(text), vendor_report_files(text), vendor_report_files_query(text), setting_value(text)
TO devworkflow_daemon;
