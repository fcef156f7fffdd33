-- A move's cost does not grow with the history (issue 14's speed rows).

-- Who hears of something about a request ------------------------------------------------------
-- 0006's recipients(), with its request compared under the database's collation.
--
-- Every step passes session_user (type name, collation "C") to notify_event(), and a collatable
-- argument with a non-default collation decides a function's input collation: notify_event()'s
-- text parameters, and through them recipients()'s, all became "C". `r.id = p_request` was then
-- compared under "C", which the primary key (default collation) cannot serve, so the messages
-- of every move and proposal scanned the whole request table (and purchase_order, invitation
-- for the vendors): 1 716 buffers for one prioritise among 100 000 requests, 17 among 1 000.
-- (notify_comment() passes no name and was not affected.) Equality is the same under both collations (both deterministic); only the plan
-- changes, to the index.
CREATE OR REPLACE FUNCTION recipients(p_request text, p_audiences text[], p_vendors text[] DEFAULT '{}', p_from_state text DEFAULT NULL)
RETURNS TABLE (email text, name text, lang text, audience text, cc text[], key text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_vendors text[];
    v_audience text;
BEGIN
    IF 'system_owners' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang, 'system_owner', '{}'::text[], lower(p.email)
                     FROM workflow.request r JOIN workflow.person_system ps ON ps.system = r.system JOIN workflow.person p ON p.login = ps.login
                     WHERE r.id = p_request COLLATE "default" AND p.role = 'product_owner';
    END IF;
    -- The vendors this step concerns, each heard once, as the first part it plays here.
    IF 'invited_vendors' = ANY (p_audiences) AND cardinality(p_vendors) > 0 THEN
        v_vendors := p_vendors;
        v_audience := 'invited_vendor';
    ELSIF 'ordered_vendor' = ANY (p_audiences) THEN
        v_vendors := ARRAY(SELECT o.vendor FROM workflow.purchase_order o WHERE o.request_id = p_request COLLATE "default");
        v_audience := 'ordered_vendor';
    END IF;
    IF v_vendors IS NOT NULL THEN
        RETURN QUERY SELECT * FROM workflow.vendor_recipients(v_vendors, v_audience);
    END IF;
    -- Vendors still quoting when the quoting ends (an order to another vendor, a cancellation).
    IF 'quoting_vendors' = ANY (p_audiences) AND p_from_state IN ('quote_requested', 'quoted') THEN
        RETURN QUERY SELECT * FROM workflow.vendor_recipients(ARRAY(
            SELECT i.vendor FROM workflow.invitation i WHERE i.request_id = p_request COLLATE "default"
              AND NOT EXISTS (SELECT 1 FROM workflow.purchase_order o WHERE o.request_id = p_request COLLATE "default" AND o.vendor = i.vendor)),
            'quoting_vendor');
    END IF;
    IF 'requester' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang, 'requester', '{}'::text[], lower(p.email)
                     FROM workflow.request r JOIN workflow.person p ON p.login = r.requester_login WHERE r.id = p_request COLLATE "default";
    END IF;
    IF 'admins' = ANY (p_audiences) THEN
        RETURN QUERY SELECT p.email, p.name, p.lang, 'admin', '{}'::text[], lower(p.email) FROM workflow.person p WHERE p.role = 'admin';
    END IF;
END
$$;

-- Who is acting ----------------------------------------------------------------------------------
-- The same for the person record: `login = session_user` compares text with a name, under "C",
-- and person_pkey cannot serve it, so every move (actor()) and every staff read (the policies'
-- helpers) read the whole person table. 0012's functions, with the login compared under the
-- database's collation.
CREATE OR REPLACE FUNCTION is_staff() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM person WHERE login = session_user::text COLLATE "default" AND role <> 'vendor' AND active)
$$;

CREATE OR REPLACE FUNCTION is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM person WHERE login = session_user::text COLLATE "default" AND role = 'admin' AND active)
$$;

CREATE OR REPLACE FUNCTION is_person() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM person WHERE login = session_user::text COLLATE "default" AND active)
$$;

CREATE OR REPLACE FUNCTION my_vendor() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT vendor FROM person WHERE login = session_user::text COLLATE "default" AND role = 'vendor' AND active
$$;

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
    SELECT * INTO a FROM workflow.person p WHERE p.login = session_user::text COLLATE "default";
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
