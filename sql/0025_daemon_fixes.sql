-- Which reminder rules repeat, and retrying the failed messages of a request that exists -----------

-- A reminder rule either repeats (sent again every repeat_every business days, and to an admin
-- after escalate_after) or is sent once. Only the deadline rules repeat; the others kept any
-- --repeat or --escalate they were given and did nothing with it. Whether a rule repeats is the
-- rule's, here: a rule sent once has neither number, for whoever writes (a CHECK constraint), and
-- set_reminder_rule() refuses them with a reason naming the options the rule takes.
ALTER TABLE reminder_rule ADD COLUMN repeats boolean NOT NULL DEFAULT false;
UPDATE reminder_rule SET repeats = true WHERE key IN ('deadline_passed', 'warranty_fix_passed');
-- Numbers given to a rule that is sent once never did anything: they go.
UPDATE reminder_rule SET repeat_every = NULL, escalate_after = NULL
WHERE NOT repeats AND (repeat_every IS NOT NULL OR escalate_after IS NOT NULL);
ALTER TABLE reminder_rule ADD CONSTRAINT reminder_rule_repeats_only
    CHECK (repeats OR (repeat_every IS NULL AND escalate_after IS NULL));
COMMENT ON COLUMN reminder_rule.repeats IS
    'whether the rule is sent again every repeat_every business days and to an admin after escalate_after; a rule sent once has neither';

-- 0006's function: the rule is found first (a missing one is 66, as before), then a rule sent once
-- refuses --repeat and --escalate (65) before anything is changed.
CREATE OR REPLACE FUNCTION set_reminder_rule(p_key text, p_enabled boolean, p_days integer, p_repeat integer, p_escalate integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_rule reminder_rule;
BEGIN
    IF (actor()).role <> 'admin' THEN
        PERFORM refuse('DW403', 'error.rules_admins_only', 'only admins may edit reminder rules');
    END IF;
    SELECT * INTO v_rule FROM reminder_rule WHERE key = p_key FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM refuse('DW404', 'error.no_rule', format('no reminder rule %s: the rules are %s', p_key,
                                                        (SELECT string_agg(key, ', ' ORDER BY key) FROM reminder_rule)),
                       jsonb_build_object('rule', left(p_key, 60), 'known', 'words:' || (SELECT string_agg(key, ',' ORDER BY key) FROM reminder_rule)));
    END IF;
    IF NOT v_rule.repeats AND (p_repeat IS NOT NULL OR p_escalate IS NOT NULL) THEN
        PERFORM refuse('DW422', 'error.rule_sent_once',
                       format('reminder rule %s is sent once: it takes --days, --enable and --disable, not --repeat or --escalate', p_key),
                       jsonb_build_object('rule', p_key,
                                          'repeating', 'words:' || (SELECT string_agg(key, ',' ORDER BY key) FROM reminder_rule WHERE repeats)));
    END IF;
    UPDATE reminder_rule
    SET enabled = coalesce(p_enabled, enabled), business_days = coalesce(p_days, business_days),
        repeat_every = coalesce(p_repeat, repeat_every), escalate_after = coalesce(p_escalate, escalate_after)
    WHERE key = p_key;
END
$$;

-- 0012's function: the failed messages of a request that does not exist are not "none": the
-- request is refused as missing (66), as every command refuses it. A request with messages in the
-- outbox counts as one even when its row is gone (the messages can still be retried).
CREATE OR REPLACE FUNCTION retry_failed_outbox(p_request text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    IF NOT is_admin() THEN
        PERFORM refuse('DW403', 'error.retry_admins_only', 'only admins may retry messages');
    END IF;
    IF p_request IS NOT NULL AND NOT EXISTS (SELECT 1 FROM request WHERE id = p_request)
       AND NOT EXISTS (SELECT 1 FROM outbox WHERE request_id = p_request) THEN
        PERFORM refuse('DW404', 'error.no_request', format('no request %s', p_request), jsonb_build_object('request', left(p_request, 40)));
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
