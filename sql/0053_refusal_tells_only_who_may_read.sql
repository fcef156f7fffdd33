-- A refused mail reply names the request only to a sender who may read it ---------------------
-- A vendor's person who wrote to another vendor's reply address (a forwarded mail) was answered
-- with the request's title in the subject, and a fresh signed reply address for that request of
-- its own — for a request `request show` told it did not exist. The answer now names the request,
-- its title and a reply address only when the sender is a person or vendor that sees it: staff,
-- or a vendor invited or ordered. Anyone else is told why, of no request.
SELECT rewrite_function('mail_refuse(mail_in, text, jsonb, jsonb)',
    'SELECT * INTO r FROM request WHERE id = m.request_id;',
    $new$SELECT * INTO r FROM request WHERE id = m.request_id
        AND CASE WHEN v_person.login IS NOT NULL THEN v_person.role <> 'vendor' OR vendor_sees(id, v_person.vendor)
                 WHEN v_vendor.key IS NOT NULL THEN vendor_sees(id, v_vendor.key)
                 ELSE false END;$new$);
SELECT rewrite_function('mail_refuse(mail_in, text, jsonb, jsonb)',
    $old$VALUES ('notification', coalesce(m.request_id, ''), 'mail_refused',$old$,
    $new$VALUES ('notification', coalesce(r.id, ''), 'mail_refused',$new$);
SELECT rewrite_function('mail_refuse(mail_in, text, jsonb, jsonb)',
    $old$jsonb_build_object('request', m.request_id, 'system', r.system,$old$,
    $new$jsonb_build_object('request', r.id, 'system', r.system,$new$);
