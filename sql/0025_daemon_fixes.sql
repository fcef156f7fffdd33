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

-- 0006's set_reminder_rule(): before the rule is written, a rule sent once refuses --repeat and
-- --escalate (65). A missing rule still meets its own refusal (66): its repeats is NULL here.
SELECT rewrite_function('set_reminder_rule(text, boolean, integer, integer, integer)', $old$    UPDATE reminder_rule
$old$, $new$    IF NOT (SELECT repeats FROM reminder_rule WHERE key = p_key) AND (p_repeat IS NOT NULL OR p_escalate IS NOT NULL) THEN
        PERFORM refuse('DW422', 'error.rule_sent_once',
                       format('reminder rule %s is sent once: it takes --days, --enable and --disable, not --repeat or --escalate', p_key),
                       jsonb_build_object('rule', p_key,
                                          'repeating', 'words:' || (SELECT string_agg(key, ',' ORDER BY key) FROM reminder_rule WHERE repeats)));
    END IF;
    UPDATE reminder_rule
$new$);

-- 0012's retry_failed_outbox(): the failed messages of a request that does not exist are not
-- "none": the request is refused as missing (66), as every command refuses it. A request with
-- messages in the outbox counts as one even when its row is gone (they can still be retried).
SELECT rewrite_function('retry_failed_outbox(text)', $old$    UPDATE outbox SET status = 'pending'$old$,
    $new$    IF p_request IS NOT NULL AND NOT EXISTS (SELECT 1 FROM request WHERE id = p_request)
       AND NOT EXISTS (SELECT 1 FROM outbox WHERE request_id = p_request) THEN
        PERFORM refuse('DW404', 'error.no_request', format('no request %s', p_request), jsonb_build_object('request', left(p_request, 40)));
    END IF;
    UPDATE outbox SET status = 'pending'$new$);
