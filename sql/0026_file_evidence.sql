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

-- 0009's request_file(): the digest is the history's.
SELECT rewrite_function('request_file(text, integer)', 'f.size, f.sha256, f.internal', 'f.size, file_recorded_digest(f), f.internal');

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

-- The acceptance act, 0009's order_act(): the files attached before the acceptance, with their
-- digests as the history recorded them.
SELECT rewrite_function('order_act(text)', $old$'sha256', f.sha256) ORDER BY f.n)$old$, $new$'sha256', file_recorded_digest(f)) ORDER BY f.n)$new$);
SELECT rewrite_function('order_act(text)', $old$f.audience IN ('*', o.vendor)), '[]')$old$,
    $new$f.audience IN ('*', o.vendor)
                             AND f.event_seq < (SELECT max(e.seq) FROM event e WHERE e.request_id = r.id AND e.transition = 'accept')), '[]')$new$);

REVOKE ALL ON FUNCTION file_recorded_digest(request_file), file_evidence(), file_evidence_chunk(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION file_evidence(), file_evidence_chunk(bigint, integer) TO devworkflow_user, devworkflow_daemon;
