-- A fixed data set for the reports' golden files: every date and time is written out, so the
-- reports are the same on any day. Loaded by a superuser with triggers off
-- (session_replication_role = replica), as a restore would.
SET session_replication_role = replica;

INSERT INTO system (key, name) VALUES ('VOLIS', 'Volikogu infosüsteem'), ('KOVTP', 'Kohaliku omavalitsuse veebiplatvorm');
INSERT INTO vendor (key, name, email, lang, registry_code) VALUES ('ACME', 'Acme OÜ', 'info@acme.ee', 'et', '12345678'),
    ('BETA', 'Beta AS', 'sales@beta.ee', 'en', '10987654');
INSERT INTO contract (id, vendor, number, valid_from, valid_to, hourly_rate, cap) OVERRIDING SYSTEM VALUE VALUES
    (1, 'ACME', 'RL-ACME', '2025-01-01', '2027-12-31', 80, 50000), (2, 'BETA', 'RL-BETA', '2025-01-01', '2027-12-31', 90, 40000);
-- Terms (issue 19): ACME's contract a warranty and a mild penalty, BETA's a steep one that reaches its cap.
UPDATE contract SET warranty_months = 24, fix_days = 5, penalty_per_day = 0.5, penalty_cap = 10 WHERE number = 'RL-ACME';
UPDATE contract SET warranty_months = 12, fix_days = 10, penalty_per_day = 5, penalty_cap = 10 WHERE number = 'RL-BETA';
INSERT INTO budget (system, year, amount) VALUES ('VOLIS', 2026, 30000), ('KOVTP', 2026, 20000), ('VOLIS', 2025, 10000);

INSERT INTO request (id, system, number, title, description, requester, created_by, state, version, priority, quote_due, created_at, state_since) VALUES
    ('VOLIS-1', 'VOLIS', 1, E'Eksport "CSV" ; koma, ja\nreavahetus — õäöüšž ÕÄÖÜŠŽ', 'Kirjeldus', 'Tiina Tamm', 'piret', 'released', 11, 2, '2026-02-16', '2026-02-02 07:00:00+00', '2026-04-01 08:00:00+00'),
    ('VOLIS-2', 'VOLIS', 2, 'Otsingu filter', '', 'piret', 'piret', 'ordered', 6, 1, '2026-09-14', '2026-09-01 07:00:00+00', '2026-10-01 08:00:00+00'),
    ('VOLIS-3', 'VOLIS', 3, 'Päevakorra PDF', '', 'piret', 'piret', 'prioritised', 2, 1, NULL, '2026-11-02 08:00:00+00', '2026-11-10 08:00:00+00'),
    ('VOLIS-4', 'VOLIS', 4, 'Hääletuste avaldamine', '', 'piret', 'piret', 'cancelled', 6, 3, '2026-06-04', '2026-06-01 07:00:00+00', '2026-06-15 07:00:00+00'),
    ('VOLIS-5', 'VOLIS', 5, 'Vana teema', '', 'piret', 'piret', 'rejected', 2, NULL, NULL, '2026-05-04 07:00:00+00', '2026-05-06 07:00:00+00'),
    ('KOVTP-1', 'KOVTP', 1, 'Mobiilimenüü', '', 'olev', 'olev', 'prioritised', 2, 2, NULL, '2026-10-20 07:00:00+00', '2026-11-01 08:00:00+00'),
    ('KOVTP-2', 'KOVTP', 2, 'Kaardikiht', '', 'olev', 'olev', 'quote_requested', 3, 3, '2026-11-20', '2026-10-26 08:00:00+00', '2026-11-13 08:00:00+00'),
    ('KOVTP-3', 'KOVTP', 3, 'Ligipääsetavus', '', 'olev', 'olev', 'delivered', 8, 1, '2026-08-24', '2026-08-03 07:00:00+00', '2026-10-20 07:00:00+00'),
    ('KOVTP-4', 'KOVTP', 4, 'Uudiskiri', '', 'olev', 'olev', 'proposed', 1, NULL, NULL, '2026-11-24 08:00:00+00', '2026-11-24 08:00:00+00');

INSERT INTO invitation (request_id, vendor, due, invited_at) VALUES
    ('VOLIS-1', 'ACME', '2026-02-16', '2026-02-09 08:00:00+00'), ('VOLIS-1', 'BETA', '2026-02-16', '2026-02-09 08:00:00+00'),
    ('VOLIS-2', 'ACME', '2026-09-14', '2026-09-07 07:00:00+00'), ('VOLIS-2', 'BETA', '2026-09-14', '2026-09-07 07:00:00+00'),
    ('VOLIS-4', 'ACME', '2026-06-04', '2026-06-03 07:00:00+00'),
    ('KOVTP-2', 'ACME', '2026-11-20', '2026-11-13 08:00:00+00'),
    ('KOVTP-3', 'ACME', '2026-08-24', '2026-08-17 07:00:00+00');

INSERT INTO quote (request_id, vendor, hours, price, delivery, quoted_at, quoted_by) VALUES
    ('VOLIS-1', 'ACME', 15, 1200.00, '2026-03-20', '2026-02-12 08:00:00+00', 'anna'),
    ('VOLIS-1', 'BETA', 16.5, 1500.00, '2026-03-25', '2026-02-13 08:00:00+00', 'bert'),
    ('VOLIS-2', 'ACME', 40, 3500.00, '2026-11-10', '2026-09-10 07:00:00+00', 'anna'),
    ('VOLIS-2', 'BETA', 33.25, 3000.00, '2026-11-20', '2026-09-11 07:00:00+00', 'bert'),
    ('VOLIS-4', 'ACME', 8, 999.00, '2026-07-01', '2026-06-05 07:00:00+00', 'anna'),
    ('KOVTP-3', 'ACME', 30, 2500.00, '2026-10-15', '2026-08-21 07:00:00+00', 'anna');

INSERT INTO order_counter (year, last) VALUES (2026, 4);
INSERT INTO purchase_order (number, request_id, vendor, contract_id, price, vat_rate, vat, gross, order_date, deadline, ordered_at, delivered_at,
                            delivery_note, accepted_at, returns, released_at, release_version, cancelled_at) VALUES
    ('ORD-2026-0001', 'VOLIS-1', 'ACME', 1, 1200.00, 24, 288.00, 1488.00, '2026-03-02', '2026-03-20', '2026-03-02 08:00:00+00', '2026-03-18 08:00:00+00',
     'Parandatud', '2026-03-25 08:00:00+00', 1, '2026-04-01 08:00:00+00', 'VOLIS 4.2', NULL),
    ('ORD-2026-0002', 'VOLIS-4', 'ACME', 1, 999.00, 24, 239.76, 1238.76, '2026-06-10', '2026-07-01', '2026-06-10 07:00:00+00', NULL, NULL, NULL, 0, NULL, NULL,
     '2026-06-15 07:00:00+00'),
    ('ORD-2026-0003', 'KOVTP-3', 'ACME', 1, 2500.00, 24, 600.00, 3100.00, '2026-09-15', '2026-10-15', '2026-09-15 07:00:00+00', '2026-10-20 07:00:00+00',
     'Valmis', NULL, 0, NULL, NULL, NULL),
    ('ORD-2026-0004', 'VOLIS-2', 'BETA', 2, 3000.00, 24, 720.00, 3720.00, '2026-10-01', '2026-11-20', '2026-10-01 08:00:00+00', NULL, NULL, NULL, 0, NULL, NULL, NULL);

-- Each order keeps its contract's terms (the trigger that copies them is off here). KOVTP-3 was
-- delivered 5 days late, 2 of them on hold; BETA's VOLIS-2 runs 5 days late and reaches the cap.
UPDATE purchase_order o SET warranty_months = c.warranty_months, fix_days = c.fix_days, penalty_per_day = c.penalty_per_day,
                            penalty_cap = c.penalty_cap
FROM contract c WHERE c.id = o.contract_id;

-- ACME invoiced VOLIS-1 and credited 100 back (both paid); its invoice for KOVTP-3 came before
-- acceptance and is held.
INSERT INTO invoice (id, kind, number, seller_code, seller_name, vendor, order_number, order_ref, contract_ref, preceding, issue_date, due_date,
                     currency, net, vat, gross, lines, document_sha256, status, reasons, imported_by, imported_at, paid_on, paid_by)
OVERRIDING SYSTEM VALUE VALUES
    (1, 'invoice', 'A-2026-001', '12345678', 'Acme OÜ', 'ACME', 'ORD-2026-0001', 'ORD-2026-0001', 'RL-ACME', '{}', '2026-03-26', '2026-04-09',
     'EUR', 1200.00, 288.00, 1488.00, 2, repeat('a1', 32), 'matched', '[]', 'piret', '2026-03-27 08:00:00+00', '2026-04-08', 'piret'),
    (2, 'credit_note', 'A-2026-007', '12345678', 'Acme OÜ', 'ACME', 'ORD-2026-0001', 'ORD-2026-0001', NULL, '{A-2026-001}', '2026-04-02',
     '2026-04-16', 'EUR', 100.00, 24.00, 124.00, 1, repeat('b2', 32), 'matched', '[]', 'piret', '2026-04-03 08:00:00+00', '2026-04-08', 'piret'),
    (3, 'invoice', 'A-2026-031', '12345678', 'Acme OÜ', 'ACME', 'ORD-2026-0003', 'ORD-2026-0003', 'RL-ACME', '{}', '2026-10-21', '2026-11-04',
     'EUR', 2500.00, 600.00, 3100.00, 3, repeat('c3', 32), 'held',
     '[{"key": "invoice.held.not_accepted", "order": "ORD-2026-0003", "state": "state:delivered"}]', 'olev', '2026-10-22 08:00:00+00', NULL, NULL);

-- The history without its hash chains, which are computed below as the migration computes them.
ALTER TABLE event ALTER COLUMN prev DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL;
INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, at, inputs, audience) VALUES
    ('VOLIS-1', 1, 'propose', NULL, 'proposed', 'piret', 'piret', '2026-02-02 07:00:00+00', '{}', '*'),
    ('VOLIS-1', 2, 'prioritise', 'proposed', 'prioritised', 'piret', 'piret', '2026-02-05 08:00:00+00', '{"priority": 2}', '*'),
    ('VOLIS-1', 3, 'request_quote', 'prioritised', 'quote_requested', 'piret', 'piret', '2026-02-09 08:00:00+00', '{"due": "2026-02-16", "vendors": ["ACME", "BETA"]}', NULL),
    ('VOLIS-1', 4, 'quote', 'quote_requested', 'quoted', 'anna', 'anna', '2026-02-12 08:00:00+00', '{"vendor": "ACME", "price": 1200.00}', 'ACME'),
    ('VOLIS-1', 5, 'quote', 'quoted', 'quoted', 'bert', 'bert', '2026-02-13 08:00:00+00', '{"vendor": "BETA", "price": 1500.00}', 'BETA'),
    ('VOLIS-1', 6, 'order', 'quoted', 'ordered', 'piret', 'piret', '2026-03-02 08:00:00+00', '{"vendor": "ACME", "order": "ORD-2026-0001"}', 'ACME'),
    ('VOLIS-1', 7, 'deliver', 'ordered', 'delivered', 'anna', 'anna', '2026-03-10 08:00:00+00', '{"note": "Valmis"}', '*'),
    ('VOLIS-1', 8, 'return', 'delivered', 'ordered', 'piret', 'piret', '2026-03-12 08:00:00+00', '{"reason": "Viga"}', '*'),
    ('VOLIS-1', 9, 'deliver', 'ordered', 'delivered', 'anna', 'anna', '2026-03-18 08:00:00+00', '{"note": "Parandatud"}', '*'),
    ('VOLIS-1', 10, 'accept', 'delivered', 'accepted', 'piret', 'piret', '2026-03-25 08:00:00+00', '{}', '*'),
    ('VOLIS-1', 11, 'release', 'accepted', 'released', 'piret', 'piret', '2026-04-01 08:00:00+00', '{"version_name": "VOLIS 4.2"}', '*'),
    ('VOLIS-2', 1, 'propose', NULL, 'proposed', 'piret', 'piret', '2026-09-01 07:00:00+00', '{}', '*'),
    ('VOLIS-2', 2, 'prioritise', 'proposed', 'prioritised', 'piret', 'piret', '2026-09-03 07:00:00+00', '{"priority": 1}', '*'),
    ('VOLIS-2', 3, 'request_quote', 'prioritised', 'quote_requested', 'piret', 'piret', '2026-09-07 07:00:00+00', '{"due": "2026-09-14", "vendors": ["ACME", "BETA"]}', NULL),
    ('VOLIS-2', 4, 'quote', 'quote_requested', 'quoted', 'anna', 'anna', '2026-09-10 07:00:00+00', '{"vendor": "ACME", "price": 3500.00}', 'ACME'),
    ('VOLIS-2', 5, 'quote', 'quoted', 'quoted', 'bert', 'bert', '2026-09-11 07:00:00+00', '{"vendor": "BETA", "price": 3000.00}', 'BETA'),
    ('VOLIS-2', 6, 'order', 'quoted', 'ordered', 'piret', 'piret', '2026-10-01 08:00:00+00', '{"vendor": "BETA", "order": "ORD-2026-0004"}', 'BETA'),
    ('VOLIS-3', 1, 'propose', NULL, 'proposed', 'piret', 'piret', '2026-11-02 08:00:00+00', '{}', '*'),
    ('VOLIS-3', 2, 'prioritise', 'proposed', 'prioritised', 'piret', 'piret', '2026-11-10 08:00:00+00', '{"priority": 1}', '*'),
    ('VOLIS-4', 1, 'propose', NULL, 'proposed', 'piret', 'piret', '2026-06-01 07:00:00+00', '{}', '*'),
    ('VOLIS-4', 2, 'prioritise', 'proposed', 'prioritised', 'piret', 'piret', '2026-06-02 07:00:00+00', '{"priority": 3}', '*'),
    ('VOLIS-4', 3, 'request_quote', 'prioritised', 'quote_requested', 'piret', 'piret', '2026-06-03 07:00:00+00', '{"due": "2026-06-04", "vendors": ["ACME"]}', NULL),
    ('VOLIS-4', 4, 'quote', 'quote_requested', 'quoted', 'anna', 'anna', '2026-06-05 07:00:00+00', '{"vendor": "ACME", "price": 999.00}', 'ACME'),
    ('VOLIS-4', 5, 'order', 'quoted', 'ordered', 'piret', 'piret', '2026-06-10 07:00:00+00', '{"vendor": "ACME", "order": "ORD-2026-0002"}', 'ACME'),
    ('VOLIS-4', 6, 'cancel', 'ordered', 'cancelled', 'piret', 'piret', '2026-06-15 07:00:00+00', '{"reason": "Loobutud"}', '*'),
    ('VOLIS-5', 1, 'propose', NULL, 'proposed', 'piret', 'piret', '2026-05-04 07:00:00+00', '{}', '*'),
    ('VOLIS-5', 2, 'reject', 'proposed', 'rejected', 'piret', 'piret', '2026-05-06 07:00:00+00', '{"reason": "Ei"}', '*'),
    ('KOVTP-1', 1, 'propose', NULL, 'proposed', 'olev', 'olev', '2026-10-20 07:00:00+00', '{}', '*'),
    ('KOVTP-1', 2, 'prioritise', 'proposed', 'prioritised', 'olev', 'olev', '2026-11-01 08:00:00+00', '{"priority": 2}', '*'),
    ('KOVTP-2', 1, 'propose', NULL, 'proposed', 'olev', 'olev', '2026-10-26 08:00:00+00', '{}', '*'),
    ('KOVTP-2', 2, 'prioritise', 'proposed', 'prioritised', 'olev', 'olev', '2026-11-02 08:00:00+00', '{"priority": 3}', '*'),
    ('KOVTP-2', 3, 'request_quote', 'prioritised', 'quote_requested', 'olev', 'olev', '2026-11-13 08:00:00+00', '{"due": "2026-11-20", "vendors": ["ACME"]}', NULL),
    ('KOVTP-3', 1, 'propose', NULL, 'proposed', 'olev', 'olev', '2026-08-03 07:00:00+00', '{}', '*'),
    ('KOVTP-3', 2, 'prioritise', 'proposed', 'prioritised', 'olev', 'olev', '2026-08-10 07:00:00+00', '{"priority": 1}', '*'),
    ('KOVTP-3', 3, 'request_quote', 'prioritised', 'quote_requested', 'olev', 'olev', '2026-08-17 07:00:00+00', '{"due": "2026-08-24", "vendors": ["ACME"]}', NULL),
    ('KOVTP-3', 4, 'quote', 'quote_requested', 'quoted', 'anna', 'anna', '2026-08-21 07:00:00+00', '{"vendor": "ACME", "price": 2500.00}', 'ACME'),
    ('KOVTP-3', 5, 'order', 'quoted', 'ordered', 'olev', 'olev', '2026-09-15 07:00:00+00', '{"vendor": "ACME", "order": "ORD-2026-0003"}', 'ACME'),
    ('KOVTP-3', 6, 'hold', 'ordered', 'ordered', 'olev', 'olev', '2026-10-16 07:00:00+00', '{"reason": "Testkeskkond maas"}', 'ACME'),
    ('KOVTP-3', 7, 'resume', 'ordered', 'ordered', 'olev', 'olev', '2026-10-18 07:00:00+00', '{}', 'ACME'),
    ('KOVTP-3', 8, 'deliver', 'ordered', 'delivered', 'anna', 'anna', '2026-10-20 07:00:00+00', '{"note": "Valmis"}', '*'),
    ('KOVTP-4', 1, 'propose', NULL, 'proposed', 'olev', 'olev', '2026-11-24 08:00:00+00', '{}', '*');

-- Files (issue 17): VOLIS-1's specification for every vendor, ACME's own quote file for VOLIS-2
-- (BETA does not see it), and a staff-only note no vendor sees. Stored without their attach
-- events, like the rest of this history written in bulk.
INSERT INTO request_file (request_id, n, original_name, name, kind, internal, audience, size, chunks, sha256, attached_by, by_login,
                          attached_at) VALUES
    ('VOLIS-1', 1, 'Lähteülesanne: CSV eksport.txt', 'Lähteülesanne: CSV eksport.txt', 'spec', false, '*', 28, 1,
     '9ea1578c1b3c945f64a1993d1df3df5d771b6b9b90628fc50fc76fc5ee72c8f4', 'piret', 'piret', '2026-02-09 07:30:00+00'),
    ('VOLIS-2', 1, 'ACME pakkumine VOLIS-2', 'ACME pakkumine VOLIS-2', 'quote', false, 'ACME', 22, 1,
     '427553ec2be535ee7eaced3052f9c29a7643f16322ab548be6b77aa7bc668a2a', 'anna', 'anna', '2026-09-10 07:00:00+00'),
    ('VOLIS-2', 2, 'sisemine märkus', 'sisemine märkus', 'other', true, NULL, 16, 1,
     'd2306ecece9decef158aec86e327dfd5f431cb8e85f4f633338ea09670f72180', 'piret', 'piret', '2026-09-11 07:00:00+00');
INSERT INTO request_file_chunk (file_id, n, data)
    SELECT f.id, 0, convert_to(c.text, 'UTF8') FROM request_file f
    JOIN (VALUES ('VOLIS-1', 1, 'Lähteülesanne: CSV eksport'), ('VOLIS-2', 1, 'ACME pakkumine VOLIS-2'), ('VOLIS-2', 2, 'sisemine märkus'))
        c (request_id, n, text) ON c.request_id = f.request_id AND c.n = f.n;

DO $$
DECLARE
    e event;
    v_prev bytea;
BEGIN
    FOR e IN SELECT * FROM event ORDER BY request_id, seq LOOP
        v_prev := CASE WHEN e.seq = 1 THEN chain_genesis() ELSE v_prev END;
        UPDATE event SET prev = v_prev,
                         hash = sha256(v_prev || convert_to(chain_content_event(e.request_id, e.seq, e.transition, e.from_state, e.to_state,
                                                                                 e.actor, e.by_login, e.at, e.inputs, e.audience), 'UTF8'))
        WHERE id = e.id RETURNING hash INTO v_prev;
    END LOOP;
END
$$;
ALTER TABLE event ALTER COLUMN prev SET NOT NULL, ALTER COLUMN hash SET NOT NULL;

-- The contracts' running totals, as a restore carries them (the cap guard's figure, which the
-- budget report's contracts read): live orders' prices, and what invoices charge beyond an order
-- (all that was invoiced, for a cancelled one).
UPDATE contract c SET used = coalesce((SELECT sum(o.price) FILTER (WHERE o.cancelled_at IS NULL) + sum(x.net)
                                       FROM purchase_order o CROSS JOIN LATERAL order_invoiced(o.number) i
                                       CROSS JOIN LATERAL order_overrun(o, i.gross, i.net) x
                                       WHERE o.contract_id = c.id), 0);

SET session_replication_role = DEFAULT;
