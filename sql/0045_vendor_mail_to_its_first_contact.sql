-- A vendor's mail goes to its first contact, not to the login that sorts first ---------------------
-- Mail about a vendor's work went To: its person whose login sorts first, in that person's
-- language, the others in Cc: adding a colleague "anna" with English switched all of PILV's mail
-- to English and its reply address to hers, though "pilv_kasutaja" had read it for a year. The
-- addressee is now the vendor's first person added (still active), then the next; login order
-- only breaks a tie.
SELECT rewrite_function('vendor_recipients(text[], text)',
    'array_agg(x.email ORDER BY x.login) AS emails, array_agg(x.name ORDER BY x.login) AS names,',
    'array_agg(x.email ORDER BY x.created_at, x.login) AS emails, array_agg(x.name ORDER BY x.created_at, x.login) AS names,');
SELECT rewrite_function('vendor_recipients(text[], text)',
    'array_agg(x.lang ORDER BY x.login) AS langs', 'array_agg(x.lang ORDER BY x.created_at, x.login) AS langs');
