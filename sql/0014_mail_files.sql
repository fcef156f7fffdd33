-- Mail in, finished (issue 18): a reply's attachments become the request's files, in the very
-- transaction that applies the reply; `person forget` redacts the mail a person sent; mail to
-- someone who cannot log in says how to answer by mail, not which command to run.
--
-- receive_mail() now takes the files' bytes beside the document: one bytea, the attachments one
-- after another, each found by the `offset` and `size` the document gives it (the gateway has
-- the whole message in memory already; a message is at most MailLimits' 32 MiB). mail_apply()
-- stores them through attach_begin/attach_chunk/attach_finish as the person the reply is tied
-- to, after the quote, delivery or comment, inside the same subtransaction: a file refused (over
-- the size limit, a name the rules refuse, anything attach_* refuses) refuses the whole reply —
-- no quote, no comment, no file — and its sender is answered once, through the outbox, in their
-- language, naming the file and why (error.mail_file_refused).

-- What a reply asked for: `files` is a reply with no text of its own but files.
ALTER TABLE mail_in DROP CONSTRAINT mail_in_asked_check;
ALTER TABLE mail_in ADD CONSTRAINT mail_in_asked_check CHECK (asked IN ('quote', 'deliver', 'comment', 'files'));
-- When `person forget` replaced the sender's address, the subject and the texts of the row.
ALTER TABLE mail_in ADD COLUMN redacted_at timestamptz;

-- Files from mail ----------------------------------------------------------------------------------

-- A name for a file its sender gave none: `attachment-N` and the usual extension of its type.
CREATE FUNCTION mail_file_name(p_index integer, p_type text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'attachment-' || p_index || CASE lower(coalesce(p_type, ''))
        WHEN 'application/pdf' THEN '.pdf' WHEN 'image/png' THEN '.png' WHEN 'image/jpeg' THEN '.jpg' WHEN 'image/gif' THEN '.gif'
        WHEN 'text/plain' THEN '.txt' WHEN 'text/html' THEN '.html' WHEN 'text/csv' THEN '.csv' WHEN 'text/calendar' THEN '.ics'
        WHEN 'message/rfc822' THEN '.eml' WHEN 'application/zip' THEN '.zip' WHEN 'application/xml' THEN '.xml' WHEN 'text/xml' THEN '.xml'
        ELSE '' END
$$;

-- Stores the files a reply carried as its request's files, as the acting person (mail_apply has
-- made actor() the person the reply is tied to): the command line's attach_begin, attach_chunk
-- (1 MiB chunks) and attach_finish, so the size limit, the name rule and who reads the file (a
-- vendor's file only that vendor and staff) are `request attach`'s. A part shown inside the
-- message (inline with a Content-ID: a logo in a signature, a picture in an HTML body) is not a
-- file of the request and is only recorded. A file refused is the reply's refusal:
-- error.mail_file_refused names it and carries attach's refusal. Returns the attachments as
-- mail_in records them, each with the number of the file it became (`file`) or `stored: false`.
CREATE FUNCTION mail_attach(m mail_in, p_kind text, p_attachments jsonb, p_files bytea) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    c_chunk constant bigint := 1048576;
    v_item jsonb;
    v_out jsonb := '[]';
    v_index integer := 0;
    v_offset bigint;
    v_size bigint;
    v_name text;
    v_upload bigint;
    v_file jsonb;
    v_state text;
    v_detail text;
BEGIN
    FOR v_item IN SELECT jsonb_array_elements(coalesce(p_attachments, '[]')) LOOP
        v_index := v_index + 1;
        IF coalesce(v_item ->> 'inline', '') = 'true' AND coalesce(v_item ->> 'content_id', '') <> '' THEN
            v_out := v_out || jsonb_build_array((v_item - 'offset') || '{"stored": false}');
            CONTINUE;
        END IF;
        v_offset := CASE WHEN v_item ->> 'offset' ~ '^[0-9]{1,12}$' THEN (v_item ->> 'offset')::bigint END;
        v_size := CASE WHEN v_item ->> 'size' ~ '^[0-9]{1,12}$' THEN (v_item ->> 'size')::bigint END;
        IF v_offset IS NULL OR v_size IS NULL OR v_offset + v_size > coalesce(octet_length(p_files), 0) THEN
            PERFORM refuse('DW400', 'error.mail_files', 'receive_mail was not given the bytes of every attachment');
        END IF;
        v_name := coalesce(nullif(btrim(v_item ->> 'name'), ''), mail_file_name(v_index, v_item ->> 'type'));
        BEGIN
            v_upload := attach_begin(m.request_id, v_name, p_kind, false, v_size);
            FOR i IN 0 .. (v_size + c_chunk - 1) / c_chunk - 1 LOOP
                PERFORM attach_chunk(v_upload, i, substring(p_files FROM (v_offset + i * c_chunk + 1)::integer
                                                              FOR least(c_chunk, v_size - i * c_chunk)::integer));
            END LOOP;
            v_file := attach_finish(v_upload, v_size, encode(sha256(substring(p_files FROM (v_offset + 1)::integer FOR v_size::integer)), 'hex'));
        EXCEPTION WHEN SQLSTATE 'DW400' OR SQLSTATE 'DW403' OR SQLSTATE 'DW404' OR SQLSTATE 'DW409' OR SQLSTATE 'DW422' THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL;
            PERFORM refuse(v_state, 'error.mail_file_refused', format('the attached file %s was not stored', left(v_name, 200)),
                           jsonb_build_object('name', left(v_name, 200),
                                              'why', CASE WHEN v_detail LIKE '{%' THEN 'detail:' || v_detail ELSE 'message:error.mail_not_applied' END));
        END;
        v_out := v_out || jsonb_build_array((v_item - 'offset') || jsonb_build_object('file', (v_file ->> 'file')::integer, 'sha256', v_file ->> 'sha256'));
    END LOOP;
    RETURN v_out;
END
$$;

-- Applies a tied, trusted message as its person (0011's, with its files): a quote or a delivery
-- through move(), text through add_comment(), then the files through mail_attach(); all of it
-- or, on any refusal, none of it, and the refusal is the message's. A reply of files alone
-- (`files`) that stores none is empty.
DROP FUNCTION mail_apply(mail_in, jsonb, jsonb);
CREATE FUNCTION mail_apply(m mail_in, p_content jsonb, p_mail jsonb, p_files bytea) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_kind text := p_content ->> 'kind';
    v_moved jsonb;
    v_comment bigint;
    v_files jsonb := m.attachments;
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
        ELSIF v_kind IS DISTINCT FROM 'files' THEN
            v_comment := add_comment(m.request_id, p_content ->> 'text', false);
        END IF;
        v_files := mail_attach(m, CASE v_kind WHEN 'quote' THEN 'quote' WHEN 'deliver' THEN 'delivery' ELSE 'other' END,
                               p_mail -> 'attachments', p_files);
        IF v_kind = 'files' AND NOT jsonb_path_exists(v_files, '$[*].file') THEN
            PERFORM refuse('DW422', 'error.reply_empty', 'the reply has no text of its own, only the quoted message');
        END IF;
        PERFORM set_config('devworkflow.mail_acting', '', true);
    EXCEPTION WHEN SQLSTATE 'DW400' OR SQLSTATE 'DW403' OR SQLSTATE 'DW404' OR SQLSTATE 'DW409' OR SQLSTATE 'DW422' THEN
        PERFORM set_config('devworkflow.mail_acting', '', true);
        GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
        RETURN mail_refuse(m, 'refused', CASE WHEN v_detail LIKE '{%' THEN v_detail::jsonb ELSE jsonb_build_object('key', 'error.mail_not_applied') END,
                           p_mail);
    END;
    UPDATE mail_in SET outcome = 'applied', acting_xact = NULL, event_id = (v_moved ->> 'event')::bigint, comment_id = v_comment,
                       attachments = v_files
    WHERE id = m.id;
    RETURN jsonb_build_object('outcome', 'applied', 'request', m.request_id, 'actor', m.actor, 'asked', v_kind,
                              'state', v_moved ->> 'state', 'version', (v_moved ->> 'version')::integer, 'comment', v_comment,
                              'files', coalesce((SELECT jsonb_agg((x ->> 'file')::integer) FROM jsonb_array_elements(v_files) x WHERE x ? 'file'), '[]'),
                              'message_id', m.message_id);
END
$$;

-- Hands in one message (0011's document, each attachment with the `offset` of its bytes in
-- p_files and whether it is `inline` and has a `content_id`; `content.kind` may be `files`).
-- Decides as 0011's did; a reply of files alone is, like a comment, taken when tied by
-- In-Reply-To (it moves no request).
DROP FUNCTION receive_mail(jsonb);
CREATE FUNCTION receive_mail(p_mail jsonb, p_files bytea DEFAULT NULL) RETURNS jsonb
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
            coalesce((SELECT jsonb_agg(CASE WHEN jsonb_typeof(x) = 'object' THEN x - 'offset' ELSE x END)
                      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_mail -> 'attachments') = 'array' THEN p_mail -> 'attachments' END) x), '[]'),
            CASE WHEN v_kind IN ('quote', 'deliver', 'comment', 'files') THEN v_kind END)
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
    IF v_kind NOT IN ('comment', 'files') AND m.tied_by = 'reference' THEN
        -- In-Reply-To can be guessed; only the signed reply address moves a request.
        RETURN mail_refuse(m, 'refused', jsonb_build_object('key', 'error.mail_command_needs_token', 'request', m.request_id), p_mail);
    END IF;
    RETURN mail_apply(m, p_mail -> 'content', p_mail, p_files);
END
$$;

-- Forgetting a person ----------------------------------------------------------------------------

-- A refusal recorded for a message with the sender's words taken out: its key, the request, the
-- numbers and the values the client renders by their prefix stay; any other text (an address, a
-- line of the reply, a header) becomes `[forgotten]`.
CREATE FUNCTION mail_reason_forgotten(p_reason jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(p_reason) = 'object' THEN (
        SELECT coalesce(jsonb_object_agg(k, CASE
                   WHEN k IN ('key', 'request') OR jsonb_typeof(v) <> 'string'
                        OR v #>> '{}' ~ '^(state|transition|transitions|words|message|actors|inputs):' THEN v
                   ELSE '"[forgotten]"'::jsonb END), '{}')
        FROM jsonb_each(p_reason) AS e(k, v)) ELSE p_reason END
$$;

-- The mail a person sent, redacted: the rows they are the actor of or whose sender is their
-- address get the person's tombstone address as sender, `[forgotten]` as subject, the names of
-- the files it carried and the texts of its refusal; the answers sent to such a message lose
-- its subject. What it applied stays (its comment is redacted with `request redact`, a file it
-- stored stays the request's evidence); no chained row is touched.
CREATE FUNCTION forget_mail(p person, p_tomb_email text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    WITH forgotten AS (
        UPDATE mail_in SET sender = p_tomb_email, subject = '[forgotten]', reason = mail_reason_forgotten(reason),
                           attachments = coalesce((SELECT jsonb_agg(CASE WHEN jsonb_typeof(x) = 'object' AND x ? 'name'
                                                                         THEN x || '{"name": "[forgotten]"}' ELSE x END ORDER BY i)
                                                   FROM jsonb_array_elements(attachments) WITH ORDINALITY AS a(x, i)), '[]'),
                           redacted_at = now()
        WHERE actor = p.login OR lower(sender) = lower(p.email)
        RETURNING message_id
    )
    UPDATE outbox o SET payload = o.payload || jsonb_build_object('subject', '[forgotten]', 'why', mail_reason_forgotten(o.payload -> 'why'))
    FROM forgotten f
    WHERE o.transition = 'mail_refused' AND o.payload ->> 'in_reply_to' = f.message_id;
END
$$;

-- `person forget LOGIN --reason` (0008's), and the mail the person sent (forget_mail).
CREATE OR REPLACE FUNCTION forget_person(p_login text, p_reason text) RETURNS void
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
    PERFORM forget_mail(p, v_email);
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

-- Mail to people who cannot log in -----------------------------------------------------------------

-- Whether mail to this address reaches someone who can run workflowctl: an active person with
-- the address whose login is a role that may log in. Anyone else (a vendor's person the DBA
-- never made a login for, a vendor's company address) is told how to answer by mail instead of
-- which command to run. workflowd asks it of each message it claims.
CREATE FUNCTION recipient_logs_in(p_email text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM workflow.person p JOIN pg_catalog.pg_roles r ON r.rolname = p.login
                   WHERE lower(p.email) = lower(p_email) AND p.active AND r.rolcanlogin)
$$;

-- Privileges -------------------------------------------------------------------------------------
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA workflow FROM PUBLIC;
GRANT EXECUTE ON FUNCTION receive_mail(jsonb, bytea) TO devworkflow_user, devworkflow_daemon;
GRANT EXECUTE ON FUNCTION recipient_logs_in(text) TO devworkflow_daemon;
