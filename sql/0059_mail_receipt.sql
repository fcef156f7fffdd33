-- A quote or a delivery sent by mail is acknowledged to its sender --------------------------------
-- A vendor who quoted by replying to a mail heard nothing back: the step told the product owners,
-- and the vendor could not tell a recorded quote from a lost one (or from a comment). The person
-- a reply applied a quote or a delivery for now gets a receipt, in their language, with what was
-- recorded, threaded under their own message. A comment gets none: it is answered by people.
SELECT rewrite_function('mail_apply(mail_in, jsonb, jsonb, bytea)',
    $old$    RETURN jsonb_build_object('outcome', 'applied',$old$,
    $new$    IF v_kind IN ('quote', 'deliver') THEN
        INSERT INTO outbox (kind, request_id, transition, recipient, recipient_name, lang, payload, idempotency_key)
        SELECT 'notification', r.id, 'mail_applied', p.email, p.name, p.lang,
               jsonb_build_object('request', r.id, 'system', r.system, 'title', r.title, 'transition', 'mail_applied',
                                  'applied', v_kind, 'audience', 'sender', 'at', m.received_at, 'subject', m.subject,
                                  'in_reply_to', m.message_id, 'inputs', v_moved -> 'inputs'),
               'mail_applied:' || m.message_id
        FROM person p JOIN request r ON r.id = m.request_id
        WHERE p.login = m.actor
        ON CONFLICT (idempotency_key) DO NOTHING;
        PERFORM wake_daemon();
    END IF;
    RETURN jsonb_build_object('outcome', 'applied',$new$);
