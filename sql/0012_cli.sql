-- The command line people use (issue 20): editing what was entered wrong, deactivating a person,
-- removing a closure day, finding requests (mine, by text, sorted, a page at a time), checking an
-- import without writing it, and resending every failed message.

-- People who left ------------------------------------------------------------------------------
-- A deactivated person's login can do nothing: actor() refuses it (every function that acts or
-- reads for a person asks actor()), the helpers of the row-level policies do not count it, and
-- sync_login takes devworkflow_staff away from it. Their history stays theirs.

ALTER TABLE person ADD COLUMN active boolean NOT NULL DEFAULT true;

CREATE OR REPLACE FUNCTION is_staff() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM person WHERE login = session_user AND role <> 'vendor' AND active)
$$;

CREATE OR REPLACE FUNCTION is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM person WHERE login = session_user AND role = 'admin' AND active)
$$;

CREATE OR REPLACE FUNCTION is_person() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM person WHERE login = session_user AND active)
$$;

CREATE OR REPLACE FUNCTION my_vendor() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT vendor FROM person WHERE login = session_user AND role = 'vendor' AND active
$$;

-- Refuses a person who was deactivated (the login's own, or the one an admin acts for).
CREATE FUNCTION refuse_inactive(a person) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT a.active THEN
        PERFORM refuse('DW403', 'error.person_inactive', format('%s was deactivated: an admin may activate them again', a.login),
                       jsonb_build_object('login', a.login));
    END IF;
END
$$;

-- The person acting (0006's and 0011's: the login's, an admin's --as, or while receive_mail()
-- applies a message the person it is tied to), and neither a deactivated login nor a
-- deactivated person acted for.
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
            PERFORM refuse_inactive(a);
            RETURN a;
        END IF;
    END IF;
    SELECT * INTO a FROM workflow.person p WHERE p.login = session_user;
    IF a.login IS NOT NULL THEN
        PERFORM refuse_inactive(a);
    END IF;
    IF a.login IS NULL OR (v_as IS NOT NULL AND v_as <> '' AND v_as <> a.login) THEN
        SELECT (x.person).* INTO a FROM acting_person() x;
        PERFORM refuse_inactive(a);
    END IF;
    RETURN a;
END
$$;

-- Staff logins read the tables while the person is staff and active (0006's, with `active`).
CREATE OR REPLACE FUNCTION sync_login(p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_role pg_roles;
    v_staff boolean := EXISTS (SELECT 1 FROM person WHERE login = p_login AND role IN ('admin', 'product_owner', 'requester') AND active);
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

-- A person by login, locked for a change, or the refusal that there is none.
CREATE FUNCTION person_to_change(p_login text) RETURNS person
LANGUAGE plpgsql AS $$
DECLARE
    p person;
BEGIN
    SELECT * INTO p FROM person WHERE login = p_login FOR UPDATE;
    IF p.login IS NULL THEN
        PERFORM refuse('DW404', 'error.no_such_person', format('no person %s', left(p_login, 63)), jsonb_build_object('login', left(p_login, 63)));
    END IF;
    RETURN p;
END
$$;

-- Deactivates (false) or activates (true) a person; an admin cannot deactivate themselves.
-- Returns whether anything changed.
CREATE FUNCTION set_person_active(p_login text, p_active boolean) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := require_admin();
    p person := person_to_change(p_login);
BEGIN
    IF p_active IS NULL THEN
        PERFORM refuse('DW400', 'error.active_needed', 'say whether the person is active');
    END IF;
    IF NOT p_active AND p.login IN (a.login, session_user) THEN
        PERFORM refuse('DW422', 'error.deactivate_self', 'an admin cannot deactivate themselves', jsonb_build_object('login', p.login));
    END IF;
    IF p.active = p_active THEN
        RETURN false;
    END IF;
    UPDATE person SET active = p_active WHERE login = p.login;
    PERFORM sync_login(p.login);
    RETURN true;
END
$$;

-- What is wrong with a person's role, vendor and systems together (the refusal), or nothing:
-- a vendor's user has a vendor and no systems, a product owner systems and no vendor, others neither.
CREATE FUNCTION check_person_shape(p_role text, p_vendor text, p_systems text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_system text;
BEGIN
    IF p_role NOT IN ('admin', 'product_owner', 'vendor', 'requester') THEN
        PERFORM refuse('DW400', 'error.role', format('role %s: expected admin, product_owner, vendor or requester', left(p_role, 40)),
                       jsonb_build_object('value', left(p_role, 40)));
    ELSIF (p_role = 'vendor') <> (p_vendor IS NOT NULL) THEN
        PERFORM refuse('DW400', CASE WHEN p_vendor IS NULL THEN 'error.vendor_user_needs_vendor' ELSE 'error.vendor_for_vendors' END,
                       'a vendor''s user, and only one, has a vendor');
    ELSIF (p_role = 'product_owner') <> (cardinality(p_systems) > 0) THEN
        PERFORM refuse('DW400', CASE WHEN p_role = 'product_owner' THEN 'error.owner_needs_system' ELSE 'error.system_for_owners' END,
                       'a product owner, and only one, has systems');
    END IF;
    IF p_vendor IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vendor WHERE key = p_vendor) THEN
        PERFORM refuse('DW404', 'error.no_vendor', format('no vendor %s', p_vendor), jsonb_build_object('vendor', left(p_vendor, 40)));
    END IF;
    FOREACH v_system IN ARRAY p_systems LOOP
        IF NOT EXISTS (SELECT 1 FROM system WHERE key = v_system) THEN
            PERFORM refuse('DW404', 'error.no_system', format('no system %s', v_system), jsonb_build_object('system', left(v_system, 40)));
        END IF;
    END LOOP;
    IF (SELECT count(DISTINCT s) FROM unnest(p_systems) s) <> cardinality(p_systems) THEN
        PERFORM refuse('DW422', 'error.system_twice', 'a system is named twice', jsonb_build_object('system', '-'));
    END IF;
END
$$;

-- Changes a person: a NULL keeps what they have. A new role drops the vendor or the systems it
-- does not take; p_systems replaces them all. An admin cannot change their own role.
CREATE FUNCTION edit_person(p_login text, p_name text DEFAULT NULL, p_email text DEFAULT NULL, p_role text DEFAULT NULL,
                            p_systems text[] DEFAULT NULL, p_vendor text DEFAULT NULL, p_lang text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := require_admin();
    p person := person_to_change(p_login);
    v_role text := coalesce(p_role, p.role);
    v_vendor text := coalesce(p_vendor, CASE WHEN v_role = 'vendor' THEN p.vendor END);
    v_systems text[] := coalesce(p_systems, CASE WHEN v_role = 'product_owner'
                                               THEN ARRAY(SELECT system FROM person_system WHERE login = p.login ORDER BY system) ELSE '{}' END);
BEGIN
    IF v_role <> p.role AND p.login IN (a.login, session_user) THEN
        PERFORM refuse('DW422', 'error.own_role', 'an admin cannot change their own role', jsonb_build_object('login', p.login));
    END IF;
    PERFORM check_person_shape(v_role, v_vendor, v_systems);
    -- (The checks refuse NULL, which here means "unchanged".)
    UPDATE person SET name = CASE WHEN p_name IS NULL THEN name ELSE checked_name('person', p_name) END,
                      email = CASE WHEN p_email IS NULL THEN email ELSE checked_email(p_email) END,
                      lang = CASE WHEN p_lang IS NULL THEN lang ELSE checked_lang(p_lang) END, role = v_role, vendor = v_vendor
    WHERE login = p.login;
    DELETE FROM person_system WHERE login = p.login AND NOT system = ANY (v_systems);
    INSERT INTO person_system (login, system) SELECT p.login, s FROM unnest(v_systems) s ON CONFLICT DO NOTHING;
    PERFORM sync_login(p.login);
END
$$;

-- Other admin edits ----------------------------------------------------------------------------

CREATE FUNCTION edit_system(p_key text, p_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_admin();
    UPDATE system SET name = CASE WHEN p_name IS NULL THEN name ELSE checked_name('system', p_name) END WHERE key = p_key;
    IF NOT FOUND THEN
        PERFORM refuse('DW404', 'error.no_system', format('no system %s', left(p_key, 40)), jsonb_build_object('system', left(p_key, 40)));
    END IF;
END
$$;

-- A vendor's name, address, language or registry code (0007's rules for the code: 8 digits, one vendor's).
CREATE FUNCTION edit_vendor(p_key text, p_name text DEFAULT NULL, p_email text DEFAULT NULL, p_lang text DEFAULT NULL,
                            p_registry_code text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_admin();
    IF p_registry_code IS NOT NULL AND p_registry_code !~ '^[0-9]{8}$' THEN
        PERFORM refuse('DW422', 'error.registry_code_format', format('a registry code is 8 digits, not %s', left(p_registry_code, 20)),
                       jsonb_build_object('value', left(p_registry_code, 20)));
    END IF;
    IF EXISTS (SELECT 1 FROM vendor WHERE registry_code = p_registry_code AND key <> p_key) THEN
        PERFORM refuse('DW422', 'error.registry_code_taken', format('registry code %s is vendor %s''s', p_registry_code,
                                                                     (SELECT key FROM vendor WHERE registry_code = p_registry_code)),
                       jsonb_build_object('value', p_registry_code, 'vendor', (SELECT key FROM vendor WHERE registry_code = p_registry_code)));
    END IF;
    UPDATE vendor SET name = CASE WHEN p_name IS NULL THEN name ELSE checked_name('vendor', p_name) END,
                      email = CASE WHEN p_email IS NULL THEN email ELSE checked_email(p_email) END,
                      lang = CASE WHEN p_lang IS NULL THEN lang ELSE checked_lang(p_lang) END,
                      registry_code = coalesce(p_registry_code, registry_code)
    WHERE key = p_key;
    IF NOT FOUND THEN
        PERFORM refuse('DW404', 'error.no_vendor', format('no vendor %s', left(p_key, 40)), jsonb_build_object('vendor', left(p_key, 40)));
    END IF;
END
$$;

CREATE FUNCTION remove_closure(p_day date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_admin();
    DELETE FROM calendar_closure WHERE day = p_day;
    IF NOT FOUND THEN
        PERFORM refuse('DW404', 'error.no_closure', format('%s is not a closure day', p_day), jsonb_build_object('date', coalesce(p_day::text, '-')));
    END IF;
END
$$;

-- Editing a request ---------------------------------------------------------------------------
-- A title, description or requester written wrong is corrected, and the history says so: an
-- `edit` event with each field's old and new value, which advances the version as a move does
-- (so `--expect-version` and a move made on what was read before the edit both see it).

-- Why this person may not edit this request (the refusal's DETAIL), or NULL when they may:
-- admins and the system's product owners, and whoever proposed it while it is only proposed.
CREATE FUNCTION edit_refusal(r request, a person) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    IF a.role = 'admin'
       OR (a.role = 'product_owner' AND EXISTS (SELECT 1 FROM person_system WHERE login = a.login AND system = r.system))
       OR (a.role <> 'vendor' AND r.created_by = a.login AND r.state = 'proposed') THEN
        RETURN NULL;
    END IF;
    RETURN jsonb_build_object('key', 'error.may_not_edit', 'login', a.login, 'role', 'message:role.' || a.role, 'request', r.id,
                              'system', r.system);
END
$$;

-- Edits a request: a NULL keeps the field; a blank requester means the person who proposed it.
-- Returns the request, its version, and the changes (none: no event, the version stays).
CREATE FUNCTION edit_request(p_request text, p_title text DEFAULT NULL, p_description text DEFAULT NULL, p_requester text DEFAULT NULL,
                             p_expected_version integer DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, true);
    v_refusal jsonb;
    v_title text;
    v_description text;
    v_requester text;
    v_changes jsonb := '{}';
BEGIN
    IF p_expected_version IS NOT NULL AND p_expected_version <> r.version THEN
        PERFORM refuse('DW409', 'error.changed', format('%s changed since version %s (it is now version %s, %s): reload and retry',
                                                        r.id, p_expected_version, r.version, r.state),
                       jsonb_build_object('request', r.id, 'expected', p_expected_version, 'version', r.version, 'state', 'state:' || r.state));
    END IF;
    v_refusal := edit_refusal(r, a);
    IF v_refusal IS NOT NULL THEN
        PERFORM refuse('DW403', 'error.may_not_edit', format('%s (%s) may not edit %s', a.login, a.role, r.id), v_refusal);
    END IF;
    IF p_title IS NULL AND p_description IS NULL AND p_requester IS NULL THEN
        PERFORM refuse('DW400', 'error.edit_nothing', 'give a title, a description or a requester to change');
    END IF;
    v_title := CASE WHEN p_title IS NULL THEN r.title ELSE checked_text('title', p_title, 300, true) END;
    v_description := CASE WHEN p_description IS NULL THEN r.description ELSE checked_text('description', p_description, 20000, false) END;
    v_requester := CASE WHEN p_requester IS NULL THEN r.requester
                        ELSE coalesce(nullif(btrim(checked_text('requester', p_requester, 200, false)), ''), r.created_by) END;
    SELECT coalesce(jsonb_object_agg(f.name, jsonb_build_object('old', f.old, 'new', f.new)), '{}') INTO v_changes
    FROM (VALUES ('title', r.title, v_title), ('description', r.description, v_description), ('requester', r.requester, v_requester)) f(name, old, new)
    WHERE f.old IS DISTINCT FROM f.new;
    IF v_changes = '{}' THEN
        RETURN jsonb_build_object('request', r.id, 'version', r.version, 'state', r.state, 'changes', v_changes);
    END IF;
    UPDATE request SET title = v_title, description = v_description, requester = v_requester, version = r.version + 1,
        requester_login = CASE WHEN v_requester IS NOT DISTINCT FROM r.requester THEN r.requester_login
                               ELSE (SELECT login FROM person WHERE (login = v_requester OR lower(email) = lower(v_requester)) AND role <> 'vendor'
                                     ORDER BY login = v_requester DESC LIMIT 1) END
    WHERE id = r.id;
    INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, inputs, audience)
    VALUES (r.id, r.version + 1, 'edit', r.state, r.state, a.login, session_user, v_changes, '*');
    RETURN jsonb_build_object('request', r.id, 'version', r.version + 1, 'state', r.state, 'changes', v_changes);
END
$$;

-- Finding requests ------------------------------------------------------------------------------
-- Text is found in titles and descriptions whatever the case and with or without Estonian
-- letters (õ ä ö ü š ž match o a o u s z), anywhere in a word, so `protokoll` finds
-- `istungiprotokolli` (Estonian builds long compounds). A trigram index (pg_trgm, in Debian's
-- postgresql-15 and most managed PostgreSQL services) serves it; without the extension the search
-- reads every request and answers the same.

-- Text folded for searching: lower case, Estonian and common Latin letters without diacritics
-- (both cases are listed: lower() leaves them alone in a C-locale database).
CREATE FUNCTION search_fold(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(translate(p_text, 'ÕÄÖÜŠŽÉÈÁÀÓÒÚÙÍÌÇÅØõäöüšžéèáàóòúùíìçåø', 'OAOUSZEEAAOOUUIICAOoaouszeeaaoouuiicao'))
$$;

DO $$
DECLARE
    v_schema text;
BEGIN
    SELECT n.nspname INTO v_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF v_schema IS NULL THEN
        BEGIN
            CREATE SCHEMA IF NOT EXISTS workflow_ext;
            CREATE EXTENSION pg_trgm SCHEMA workflow_ext;
            v_schema := 'workflow_ext';
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm is not available (%): request list --search reads every request', SQLERRM;
        END;
    END IF;
    IF v_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX request_search_idx ON request USING gin (search_fold(title || %L || description) %I.gin_trgm_ops)',
                       ' ', v_schema);
    END IF;
END
$$;

-- The requests the acting person may see (0006's rules, unchanged), filtered, sorted and paged:
-- p_mine keeps those where a transition is allowed to them now (the permission move() asks);
-- p_search every word of it in the title or description; p_sort id (system and number),
-- created, state (the workflow's order), priority or deadline (the order's, else the quote's),
-- always then by id, so pages do not overlap; `total` is how many match before the page.
DROP FUNCTION request_list(text[], text, text, date);
CREATE FUNCTION request_list(p_states text[] DEFAULT NULL, p_system text DEFAULT NULL, p_vendor text DEFAULT NULL,
                             p_overdue_on date DEFAULT NULL, p_mine boolean DEFAULT false, p_search text DEFAULT NULL,
                             p_sort text DEFAULT 'id', p_limit integer DEFAULT NULL, p_offset integer DEFAULT 0)
RETURNS TABLE (id text, system text, title text, state text, version integer, priority smallint, requester text, vendor text,
               order_number text, deadline date, quote_due date, state_since timestamptz, created_at timestamptz, total bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    v_mine text := reader_vendor(a);
    v_state text;
    v_words text[];
    v_longest text;
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
    IF p_sort IS NULL OR p_sort NOT IN ('id', 'created', 'state', 'priority', 'deadline') THEN
        PERFORM refuse('DW400', 'error.unknown_sort', format('cannot sort by %s', left(p_sort, 40)),
                       jsonb_build_object('sort', left(coalesce(p_sort, '-'), 40), 'known', 'words:id,created,state,priority,deadline'));
    END IF;
    IF p_limit IS NOT NULL AND p_limit NOT BETWEEN 1 AND 1000000 THEN
        PERFORM refuse('DW400', 'error.range', 'the limit must be 1 to 1000000', jsonb_build_object('option', '--limit', 'low', 1, 'high', 1000000));
    END IF;
    IF p_offset IS NULL OR p_offset < 0 THEN
        PERFORM refuse('DW400', 'error.range', 'the offset must be 0 or more',
                       jsonb_build_object('option', '--offset', 'low', 0, 'high', 2147483647));
    END IF;
    -- Each word of the search as a LIKE pattern (its own % and _ taken literally); the longest
    -- one is also asked on its own, which the trigram index answers.
    IF btrim(coalesce(p_search, '')) <> '' THEN
        SELECT array_agg('%' || replace(replace(replace(w, '\', '\\'), '%', '\%'), '_', '\_') || '%' ORDER BY length(w) DESC)
        INTO v_words FROM regexp_split_to_table(search_fold(btrim(p_search)), '\s+') w;
        v_longest := v_words[1];
    END IF;
    RETURN QUERY
    SELECT x.id, x.system, x.title, x.state, x.version, x.priority, x.requester, x.vendor, x.order_number, x.deadline, x.quote_due,
           x.state_since, x.created_at, count(*) OVER ()
    FROM (
        SELECT r.id, r.system, r.number, r.title, r.state, r.version, r.priority, r.requester,
               CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.vendor END AS vendor,
               CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.number END AS order_number,
               CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.deadline END AS deadline,
               r.quote_due, r.state_since, r.created_at,
               (SELECT s.position FROM workflow_state s WHERE s.definition = r.definition AND s.name = r.state) AS position
        FROM request r LEFT JOIN purchase_order o ON o.request_id = r.id
        WHERE (v_mine IS NULL OR r.id IN (SELECT i.request_id FROM invitation i WHERE i.vendor = v_mine
                                          UNION SELECT p.request_id FROM purchase_order p WHERE p.vendor = v_mine))
          AND (p_states IS NULL OR r.state = ANY (p_states))
          AND (p_system IS NULL OR r.system = p_system)
          AND (p_vendor IS NULL OR o.vendor = p_vendor OR EXISTS (SELECT 1 FROM invitation i WHERE i.request_id = r.id AND i.vendor = p_vendor))
          AND (p_overdue_on IS NULL OR (r.state = 'ordered' AND o.deadline < p_overdue_on)
               OR (r.state = 'quote_requested' AND r.quote_due < p_overdue_on))
          AND (v_longest IS NULL OR (search_fold(r.title || ' ' || r.description) LIKE v_longest
                                     AND search_fold(r.title || ' ' || r.description) LIKE ALL (v_words)))
          AND (NOT coalesce(p_mine, false)
               OR EXISTS (SELECT 1 FROM workflow_transition t
                          WHERE t.definition = r.definition AND t.from_state = r.state AND permission_refusal(r, a, t) IS NULL))
    ) x
    ORDER BY CASE WHEN p_sort = 'created' THEN x.created_at END,
             CASE WHEN p_sort = 'state' THEN x.position END,
             CASE WHEN p_sort = 'priority' THEN x.priority END NULLS LAST,
             CASE WHEN p_sort = 'deadline' THEN coalesce(x.deadline, x.quote_due) END NULLS LAST,
             x.system, x.number
    LIMIT p_limit OFFSET p_offset;
END
$$;

-- Importing -------------------------------------------------------------------------------------
-- Finds a system's request by title quickly, for the duplicate check of an import.
CREATE INDEX request_title_idx ON request (system, lower(btrim(title)));

-- What an import would meet, without writing anything: for each row of a batch (as
-- propose_many takes them) what is wrong with it, and which request of the system already has
-- its title. Every row is checked, so a dry run names every bad line, not only the first.
CREATE FUNCTION import_check(p_system text, p_rows jsonb)
RETURNS TABLE (line integer, problem jsonb, duplicate_of text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM proposer(p_system);
    IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' OR jsonb_array_length(p_rows) > 10000 THEN
        PERFORM refuse('DW422', 'error.batch_too_large', 'a list of at most 10000 rows in one call');
    END IF;
    RETURN QUERY
    SELECT x.line, coalesce(text_problem('title', x.title, 300, true), text_problem('description', x.description, 20000, false),
                            text_problem('requester', x.requester, 200, false)),
           (SELECT r.id FROM request r WHERE r.system = p_system AND lower(btrim(r.title)) = lower(btrim(x.title)) ORDER BY r.number LIMIT 1)
    FROM jsonb_to_recordset(p_rows) AS x(line integer, title text, description text, requester text)
    ORDER BY x.line;
END
$$;

-- Messages -----------------------------------------------------------------------------------
-- Every failed message sent again (of one request, when given); returns how many.
CREATE FUNCTION retry_failed_outbox(p_request text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    IF NOT is_admin() THEN
        PERFORM refuse('DW403', 'error.retry_admins_only', 'only admins may retry messages');
    END IF;
    UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), lease_owner = NULL, lease_until = NULL
    WHERE status = 'failed' AND (p_request IS NULL OR request_id = p_request);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count > 0 THEN
        PERFORM pg_notify('devworkflow_outbox', 'retry');
    END IF;
    RETURN v_count;
END
$$;

-- 0006's ALTER DEFAULT PRIVILEGES IN SCHEMA cannot take back the global default (PUBLIC may
-- execute a new function): every function made here starts as the owner's alone.
REVOKE ALL ON FUNCTION
    refuse_inactive(person), person_to_change(text), set_person_active(text, boolean), check_person_shape(text, text, text[]),
    edit_person(text, text, text, text, text[], text, text), edit_system(text, text), edit_vendor(text, text, text, text, text),
    remove_closure(date), edit_refusal(request, person), edit_request(text, text, text, text, integer), search_fold(text),
    request_list(text[], text, text, date, boolean, text, text, integer, integer), import_check(text, jsonb), retry_failed_outbox(text)
FROM PUBLIC;

GRANT EXECUTE ON FUNCTION
    set_person_active(text, boolean), edit_person(text, text, text, text, text[], text, text), edit_system(text, text),
    edit_vendor(text, text, text, text, text), remove_closure(date), edit_request(text, text, text, text, integer),
    request_list(text[], text, text, date, boolean, text, text, integer, integer), import_check(text, jsonb), retry_failed_outbox(text)
TO devworkflow_user;
