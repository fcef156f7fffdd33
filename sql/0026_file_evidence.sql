-- A file's evidence is its history: the digest in its attach event -------------------------------
-- The attach event (chained, sql/0008) keeps each file's SHA-256; request_file keeps a copy for
-- listing. A superuser who replaced a file's bytes and set that copy to match (triggers off) was
-- not caught: reading the file back compared the bytes with the copy ("checked"), `audit verify`
-- never looked at files, and the acceptance act listed the new digest.
--
-- * Reading a file back compares its bytes with the digest in the history (request_file()).
-- * `audit verify` compares every file's copy with its event (AuditChains, reading
--   file_evidence()), and with --files hashes every file's bytes against it.
-- * The acceptance act lists the files attached before the acceptance, with the history's
--   digests: an act printed again later gives the same bytes, whatever is attached after.

-- The SHA-256 the history recorded when the file was attached ('' when its event is missing,
-- which `audit verify` reports as a broken chain).
CREATE FUNCTION file_recorded_digest(f request_file) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT e.inputs ->> 'sha256' FROM workflow.event e WHERE e.request_id = f.request_id AND e.seq = f.event_seq), '')
$$;

CREATE OR REPLACE FUNCTION request_file(p_request text, p_n integer)
RETURNS TABLE (n integer, name text, stored_name text, kind text, size bigint, sha256 text, internal boolean, vendor text,
               attached_by text, attached_at timestamptz, chunks integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    f request_file := visible_file(p_request, p_n, actor());
BEGIN
    RETURN QUERY SELECT f.n, f.original_name, f.name, f.kind, f.size, file_recorded_digest(f), f.internal, nullif(f.audience, '*'),
                        f.attached_by, f.attached_at, f.chunks;
END
$$;

-- Every stored file beside what its attach event recorded, for `audit verify` (auditors only).
CREATE FUNCTION file_evidence()
RETURNS TABLE (request text, file integer, id bigint, chunks integer, sha256 text, size bigint, recorded_sha256 text, recorded_size bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_auditor();
    RETURN QUERY
    SELECT f.request_id, f.n, f.id, f.chunks, f.sha256, f.size, e.inputs ->> 'sha256', (e.inputs ->> 'size')::bigint
    FROM request_file f LEFT JOIN event e ON e.request_id = f.request_id AND e.seq = f.event_seq
    WHERE f.n IS NOT NULL
    ORDER BY f.request_id, f.n;
END
$$;

-- One chunk of any file, for `audit verify --files` (auditors only).
CREATE FUNCTION file_evidence_chunk(p_file bigint, p_chunk integer) RETURNS bytea
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_auditor();
    RETURN (SELECT c.data FROM request_file_chunk c WHERE c.file_id = p_file AND c.n = p_chunk);
END
$$;

-- The acceptance act: 0009's, with the files attached before the acceptance and their digests as
-- the history recorded them; the VAT is the order's own (0007 made it a column of every order).
CREATE OR REPLACE FUNCTION order_act(p_order text) RETURNS jsonb
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
    v_vat_rate := o.vat_rate;
    v_vat := o.vat;
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
                                                               'sha256', file_recorded_digest(f)) ORDER BY f.n)
                           FROM request_file f WHERE f.request_id = r.id AND f.n IS NOT NULL AND f.audience IN ('*', o.vendor)
                             AND f.event_seq < (SELECT max(e.seq) FROM event e WHERE e.request_id = r.id AND e.transition = 'accept')), '[]'));
END
$$;

REVOKE ALL ON FUNCTION file_recorded_digest(request_file), file_evidence(), file_evidence_chunk(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION file_evidence(), file_evidence_chunk(bigint, integer) TO devworkflow_user, devworkflow_daemon;
