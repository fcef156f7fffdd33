-- `audit verify` compares the audited rows with what the audit log last recorded of them ---------
-- The chains prove the record was not edited; they said nothing of the rows it records. A
-- superuser who changes a row with the triggers off (`session_replication_role = replica`: a VAT
-- rate set to 0, an invoice's net) leaves no record, and verify still said "the chains hold". Now
-- each row of an audited table is compared, field by field, with the values its records give it
-- (an insert gives every field, an update the ones it changed, the latest record winning): the
-- first field that differs is a problem, named with the row, the field and both values. Fields no
-- record holds (a column a later migration added) and columns the log leaves out on purpose (a
-- budget's and a contract's running total, `used`) are not compared; numbers compare by value.

-- The audited tables as their triggers say (as audit_kinds() reads them): the table, its key
-- columns (comma separated) and the columns the log leaves out.
CREATE FUNCTION audited_tables() RETURNS TABLE (kind text, keys text, ignored text[])
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (c.relname) c.relname::text, x.args[1], coalesce(x.args[2:], '{}')
    FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
    CROSS JOIN LATERAL (SELECT string_to_array(rtrim(encode(g.tgargs, 'escape'), '\000'), '\000') AS args) x
    WHERE g.tgfoid = 'workflow.audit_change'::regproc
    ORDER BY c.relname
$$;

-- An audited table's rows as the log names and records them: the key as audit_change() writes it
-- (the key columns joined by '/'), the fields without the ones it leaves out.
CREATE FUNCTION audited_rows(p_kind text) RETURNS TABLE (object text, fields jsonb)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t record;
BEGIN
    SELECT * INTO t FROM audited_tables() a WHERE a.kind = p_kind;
    RETURN QUERY EXECUTE format($q$
        SELECT concat_ws('/', VARIADIC ARRAY(SELECT to_jsonb(x) ->> btrim(k) FROM unnest(string_to_array($1, ',')) k)), to_jsonb(x) - $2
        FROM workflow.%I x
        $q$, t.kind) USING t.keys, t.ignored;
END
$$;

CREATE FUNCTION audit_live_differences() RETURNS TABLE (kind text, object text, field text, recorded jsonb, live jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_auditor();
    RETURN QUERY
    WITH recorded AS (
        SELECT DISTINCT ON (a.kind, a.object, f.key) a.kind, a.object, f.key, f.value
        FROM audit a CROSS JOIN LATERAL jsonb_each(a.new) f
        WHERE a.new IS NOT NULL
        ORDER BY a.kind, a.object, f.key, a.seq DESC)
    SELECT t.kind, l.object, r.key, r.value, l.fields -> r.key
    FROM audited_tables() t CROSS JOIN LATERAL audited_rows(t.kind) l
    JOIN recorded r ON r.kind = t.kind AND r.object = l.object
    WHERE l.fields ? r.key AND l.fields -> r.key IS DISTINCT FROM r.value
    ORDER BY t.kind, l.object, r.key;
END
$$;
REVOKE ALL ON FUNCTION audited_tables(), audited_rows(text), audit_live_differences() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_live_differences() TO devworkflow_user, devworkflow_daemon;

-- Rows the log never recorded — those the migrations wrote before the log began (the VAT rates,
-- the reminder rules, the settings) — are taken in as they stand, once, as 'baseline' records, so
-- that every audited row has something to be compared with from now on.
ALTER TABLE audit DROP CONSTRAINT audit_action_check,
    ADD CONSTRAINT audit_action_check CHECK (action IN ('insert', 'update', 'delete', 'redact', 'forget', 'seal', 'baseline'));
SELECT audit_record(t.kind, 'baseline', l.object, NULL, l.fields, 'the row as it stood when the log began to compare rows (sql/0038)')
FROM audited_tables() t CROSS JOIN LATERAL audited_rows(t.kind) l
WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.kind = t.kind AND a.object = l.object)
ORDER BY t.kind, l.object;
