-- A stranger's refusal in the language of the thread it replied to ---------------------------------
-- A sender who is no person and no vendor of ours (its origin authenticated, so it is answered)
-- was answered in its message's Content-Language, else in Estonian: a reply to Anna's English mail
-- from someone she forwarded it to got an Estonian answer. Now, failing its own Content-Language,
-- the answer takes the language of the person the reply address was written for (the address
-- names the login; only the language is read from it).
SELECT rewrite_function('mail_refuse(mail_in, text, jsonb, jsonb)',
    $old$CASE WHEN p_mail ->> 'lang' IN ('et', 'en') THEN p_mail ->> 'lang' END, 'et'),$old$,
    $new$CASE WHEN p_mail ->> 'lang' IN ('et', 'en') THEN p_mail ->> 'lang' END,
                         (SELECT x.lang FROM person x WHERE x.login = p_mail #>> '{tokens,0,login}'), 'et'),$new$);
