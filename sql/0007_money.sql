-- The money trail: VAT as dated data, orders with net, VAT and gross, e-invoices matched to orders,
-- payments. Contract rates and caps, quotes and orders are net; budgets are gross (a municipality
-- pays the VAT): the budget guard compares gross with gross, the cap guard net with net.
--
-- Each rule is one function: the rate in force (vat_rate_on), the order's VAT (step_order_vat, a
-- new guard), the budget guard (step_budget_left, replaced: gross now), the order and its
-- cancellation (step_place_order, step_cancel_order, replaced: they keep the gross on the budget),
-- an invoice's match (invoice_problems).

-- VAT rates -------------------------------------------------------------------------------------

CREATE TABLE vat_rate (
    valid_from date PRIMARY KEY CONSTRAINT vat_rate_from_range CHECK (valid_from BETWEEN '2000-01-01' AND '2100-12-31'),
    rate       numeric(5,2) NOT NULL CONSTRAINT vat_rate_range CHECK (rate >= 0 AND rate <= 100),
    set_by     text NOT NULL DEFAULT session_user,
    set_at     timestamptz NOT NULL DEFAULT now()
);
-- Estonia's standard rate: 20 % until 2023-12-31, 22 % from 2024-01-01, 24 % from 2025-07-01.
INSERT INTO vat_rate (valid_from, rate, set_by) VALUES ('2000-01-01', 20, 'seed'), ('2024-01-01', 22, 'seed'), ('2025-07-01', 24, 'seed');

-- The rate in force on a day.
CREATE FUNCTION vat_rate_on(p_day date) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT rate FROM workflow.vat_rate WHERE valid_from <= p_day ORDER BY valid_from DESC LIMIT 1
$$;

-- The VAT of a net amount at a rate, to the cent, half away from zero.
CREATE FUNCTION vat_of(p_net numeric, p_rate numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT round(p_net * p_rate / 100, 2)
$$;

CREATE FUNCTION vat_rates() RETURNS TABLE (valid_from date, valid_to date, rate numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT valid_from, lead(valid_from) OVER (ORDER BY valid_from) - 1, rate FROM vat_rate ORDER BY valid_from
$$;

-- Sets the rate from a day on (admins). Orders keep the rate of their order date.
CREATE FUNCTION set_vat_rate(p_from date, p_rate numeric) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_admin();
    PERFORM checked_date('vat_from', p_from);
    IF p_rate IS NULL OR p_rate < 0 OR p_rate > 100 OR p_rate <> round(p_rate, 2) THEN
        PERFORM refuse('DW422', 'error.vat_rate_range', format('a VAT rate is 0 to 100 percent with at most two decimals, not %s', p_rate),
                       jsonb_build_object('value', coalesce(p_rate::text, '-')));
    END IF;
    INSERT INTO vat_rate (valid_from, rate) VALUES (p_from, p_rate)
    ON CONFLICT (valid_from) DO UPDATE SET rate = EXCLUDED.rate, set_by = session_user, set_at = now();
END
$$;

-- Vendors' registry codes (äriregistri kood) --------------------------------------------------------

ALTER TABLE vendor ADD COLUMN registry_code text
    CONSTRAINT vendor_registry_code_format CHECK (registry_code ~ '^[0-9]{8}$')
    CONSTRAINT vendor_registry_code_unique UNIQUE;

DROP FUNCTION add_vendor(text, text, text, text);
CREATE FUNCTION add_vendor(p_key text, p_name text, p_email text, p_lang text DEFAULT 'et', p_registry_code text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM require_admin();
    IF p_registry_code IS NOT NULL AND p_registry_code !~ '^[0-9]{8}$' THEN
        PERFORM refuse('DW422', 'error.registry_code_format', format('a registry code is 8 digits, not %s', left(p_registry_code, 20)),
                       jsonb_build_object('value', left(p_registry_code, 20)));
    END IF;
    IF EXISTS (SELECT 1 FROM vendor WHERE registry_code = p_registry_code) THEN
        PERFORM refuse('DW422', 'error.registry_code_taken', format('registry code %s is vendor %s''s', p_registry_code,
                                                                     (SELECT key FROM vendor WHERE registry_code = p_registry_code)),
                       jsonb_build_object('value', p_registry_code, 'vendor', (SELECT key FROM vendor WHERE registry_code = p_registry_code)));
    END IF;
    INSERT INTO vendor (key, name, email, lang, registry_code)
    VALUES (checked_key('vendor', p_key), checked_name('vendor', p_name), checked_email(p_email), checked_lang(p_lang), p_registry_code)
    ON CONFLICT (key) DO NOTHING;
    IF NOT FOUND THEN
        PERFORM refuse('DW422', 'error.exists_vendor', format('vendor %s already exists', p_key), jsonb_build_object('name', p_key));
    END IF;
END
$$;

-- Orders: net, VAT and gross ------------------------------------------------------------------------

ALTER TABLE purchase_order ADD COLUMN vat_rate numeric(5,2), ADD COLUMN vat numeric(14,2), ADD COLUMN gross numeric(14,2);
-- Prices so far were net: each existing order gets the rate of its order date.
UPDATE purchase_order SET vat_rate = vat_rate_on(order_date), vat = vat_of(price, vat_rate_on(order_date)),
                          gross = price + vat_of(price, vat_rate_on(order_date));
ALTER TABLE purchase_order ALTER COLUMN vat_rate SET NOT NULL, ALTER COLUMN vat SET NOT NULL, ALTER COLUMN gross SET NOT NULL,
    ADD CONSTRAINT order_gross CHECK (vat >= 0 AND gross = price + vat AND vat_rate BETWEEN 0 AND 100);
-- A budget's running total is gross now.
UPDATE budget b SET used = coalesce((
    SELECT sum(o.gross) FROM purchase_order o JOIN request r ON r.id = o.request_id
    WHERE r.system = b.system AND o.order_date BETWEEN make_date(b.year, 1, 1) AND make_date(b.year, 12, 31) AND o.cancelled_at IS NULL), 0);

-- The VAT of the order, at the rate in force on its date: a guard, so the budget can be asked gross.
CREATE FUNCTION step_order_vat(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_rate numeric := vat_rate_on(d);
BEGIN
    RETURN jsonb_build_object('vat_rate', v_rate, 'vat', vat_of((i ->> 'price')::numeric, v_rate),
                              'gross', (i ->> 'price')::numeric + vat_of((i ->> 'price')::numeric, v_rate));
END
$$;
INSERT INTO workflow_step (name, kind, refusals) VALUES ('order_vat', 'guard', '{}');
UPDATE workflow_transition SET guards = ARRAY['quoted', 'contract_on_order_date', 'cap_left', 'order_vat', 'budget_left', 'deadline_default']
WHERE definition = 'small_development' AND name = 'order';
DO $$ BEGIN PERFORM check_definition('small_development'); END $$;

-- The budget left is gross: the order's gross price against it.
CREATE OR REPLACE FUNCTION step_budget_left(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    b budget;
    v_year integer := extract(year FROM d)::integer;
BEGIN
    SELECT * INTO b FROM budget WHERE system = r.system AND year = v_year FOR UPDATE;
    IF b.system IS NULL THEN
        PERFORM refuse('DW422', 'error.no_budget', format('%s has no budget for %s', r.system, v_year),
                       jsonb_build_object('system', r.system, 'year', v_year));
    END IF;
    IF (i ->> 'gross')::numeric > b.amount - b.used THEN
        PERFORM refuse('DW422', 'error.over_budget_gross',
                       format('price %s EUR with VAT (%s net) exceeds the budget left for %s in %s (%s of %s EUR)',
                              i ->> 'gross', i ->> 'price', r.system, v_year, b.amount - b.used, b.amount),
                       jsonb_build_object('gross', i ->> 'gross', 'price', i ->> 'price', 'system', r.system, 'year', v_year,
                                          'left', b.amount - b.used, 'amount', b.amount));
    END IF;
    RETURN NULL;
END
$$;
UPDATE workflow_step SET refusals = ARRAY['error.no_budget', 'error.over_budget_gross'] WHERE name = 'budget_left';

CREATE OR REPLACE FUNCTION step_place_order(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_year integer := extract(year FROM d)::integer;
    v_counter integer;
    v_number text;
    v_price numeric := (i ->> 'price')::numeric;
    v_contract bigint;
BEGIN
    UPDATE contract SET used = used + v_price WHERE number = i ->> 'contract' RETURNING id INTO v_contract;
    UPDATE budget SET used = used + (i ->> 'gross')::numeric WHERE system = r.system AND year = v_year;
    INSERT INTO order_counter (year, last) VALUES (v_year, 1)
    ON CONFLICT (year) DO UPDATE SET last = order_counter.last + 1
    RETURNING last INTO v_counter;
    v_number := format('ORD-%s-%s', v_year, lpad(v_counter::text, 4, '0'));
    INSERT INTO purchase_order (number, request_id, vendor, contract_id, price, vat_rate, vat, gross, order_date, deadline)
    VALUES (v_number, r.id, i ->> 'vendor', v_contract, v_price, (i ->> 'vat_rate')::numeric, (i ->> 'vat')::numeric,
            (i ->> 'gross')::numeric, d, (i ->> 'deadline')::date);
    RETURN jsonb_build_object('order', v_number);
END
$$;

CREATE OR REPLACE FUNCTION step_cancel_order(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    o purchase_order;
BEGIN
    UPDATE purchase_order SET cancelled_at = now() WHERE request_id = r.id AND cancelled_at IS NULL RETURNING * INTO o;
    IF o.number IS NOT NULL THEN
        UPDATE contract SET used = used - o.price WHERE id = o.contract_id;
        UPDATE budget SET used = used - o.gross WHERE system = r.system AND year = extract(year FROM o.order_date)::integer;
    END IF;
    RETURN NULL;
END
$$;

-- Invoices -------------------------------------------------------------------------------------------
-- An e-invoice or credit note as the seller sent it, and how it matched the order it names. The
-- client reads the UBL document (Invoices/EInvoiceReader) and hands its facts here as JSON, with
-- the problems its own sums have; the match is decided here, once.

CREATE TABLE invoice (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    number          text NOT NULL CHECK (btrim(number) <> '' AND length(number) <= 200),
    seller_code     text NOT NULL CHECK (length(seller_code) <= 100),
    seller_name     text NOT NULL CHECK (length(seller_name) <= 500),
    vendor          text REFERENCES vendor,
    order_number    text CHECK (length(order_number) <= 200),
    order_ref       text REFERENCES purchase_order,
    contract_ref    text CHECK (length(contract_ref) <= 200),
    preceding       text[] NOT NULL DEFAULT '{}',
    issue_date      date NOT NULL CHECK (issue_date BETWEEN '2000-01-01' AND '2100-12-31'),
    due_date        date CHECK (due_date BETWEEN '2000-01-01' AND '2100-12-31'),
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- As the document states them (a credit note's are positive); `signed_*` count a credit note
    -- against what was invoiced.
    net             numeric(14,2) NOT NULL CHECK (net BETWEEN -999999999999.99 AND 999999999999.99),
    vat             numeric(14,2) NOT NULL CHECK (vat BETWEEN -999999999999.99 AND 999999999999.99),
    gross           numeric(14,2) NOT NULL CHECK (gross BETWEEN -999999999999.99 AND 999999999999.99),
    lines           integer NOT NULL CHECK (lines >= 0),
    document_sha256 text NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    status          text NOT NULL CHECK (status IN ('matched', 'held', 'released')),
    reasons         jsonb NOT NULL DEFAULT '[]',
    imported_by     text NOT NULL,
    imported_at     timestamptz NOT NULL DEFAULT now(),
    released_by     text,
    released_at     timestamptz,
    release_reason  text CHECK (length(release_reason) <= 5000),
    paid_on         date CHECK (paid_on BETWEEN '2000-01-01' AND '2100-12-31'),
    paid_by         text,
    CONSTRAINT invoice_number_unique UNIQUE (seller_code, number)
);
CREATE INDEX invoice_order_idx ON invoice (order_ref);
CREATE INDEX invoice_held_idx ON invoice (id) WHERE status = 'held';

-- What an invoice counts against its order: a credit note negatively.
CREATE FUNCTION invoice_sign(p_kind text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_kind WHEN 'credit_note' THEN -1 ELSE 1 END
$$;

-- Everything that keeps an invoice from matching its order, each as a catalogue refusal: the
-- order, its state, its vendor and contract, what is left of its net price, the currency, and
-- the document's own sums (the client's arithmetic, passed in).
CREATE FUNCTION invoice_problems(p_doc jsonb, p_vendor vendor, p_order purchase_order, p_state text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_problems jsonb := '[]';
    v_sign integer := invoice_sign(p_doc ->> 'kind');
    v_invoiced numeric;
    v_contract text;
BEGIN
    IF p_vendor.key IS NULL THEN
        v_problems := v_problems || jsonb_build_object('key', 'invoice.held.unknown_seller', 'code', p_doc ->> 'seller_code',
                                                      'name', p_doc ->> 'seller_name');
    END IF;
    IF p_order.number IS NULL THEN
        IF p_doc ->> 'order_number' IS NOT NULL OR p_doc ->> 'kind' = 'invoice' THEN
            v_problems := v_problems || jsonb_build_object('key', 'invoice.held.no_order', 'order', coalesce(p_doc ->> 'order_number', '-'));
        END IF;
    ELSE
        IF p_state NOT IN ('accepted', 'released') THEN
            v_problems := v_problems || jsonb_build_object('key', 'invoice.held.not_accepted', 'order', p_order.number,
                                                          'state', 'state:' || p_state);
        END IF;
        IF p_vendor.key IS NOT NULL AND p_order.vendor <> p_vendor.key THEN
            v_problems := v_problems || jsonb_build_object('key', 'invoice.held.other_vendor', 'order', p_order.number,
                                                          'vendor', p_vendor.key, 'ordered_from', p_order.vendor);
        END IF;
        SELECT number INTO v_contract FROM contract WHERE id = p_order.contract_id;
        IF p_doc ->> 'contract_ref' IS NOT NULL AND p_doc ->> 'contract_ref' <> v_contract THEN
            v_problems := v_problems || jsonb_build_object('key', 'invoice.held.contract', 'named', p_doc ->> 'contract_ref',
                                                          'contract', v_contract);
        END IF;
        IF p_order.cancelled_at IS NOT NULL THEN
            v_problems := v_problems || jsonb_build_object('key', 'invoice.held.cancelled', 'order', p_order.number);
        END IF;
        SELECT coalesce(sum(invoice_sign(kind) * net), 0) INTO v_invoiced FROM invoice
        WHERE order_ref = p_order.number AND status <> 'held';
        IF v_sign < 0 AND v_invoiced - (p_doc ->> 'net')::numeric < 0 THEN
            v_problems := v_problems || jsonb_build_object('key', 'invoice.held.over_credit', 'order', p_order.number,
                                                          'net', p_doc ->> 'net', 'invoiced', v_invoiced);
        END IF;
        IF v_invoiced + v_sign * (p_doc ->> 'net')::numeric > p_order.price THEN
            v_problems := v_problems || jsonb_build_object('key', 'invoice.held.over_order', 'order', p_order.number,
                                                          'net', p_doc ->> 'net', 'invoiced', v_invoiced, 'price', p_order.price,
                                                          'left', p_order.price - v_invoiced);
        END IF;
    END IF;
    IF p_doc ->> 'kind' = 'credit_note' AND jsonb_array_length(coalesce(p_doc -> 'preceding', '[]')) > 0
       AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(p_doc -> 'preceding') n
                   WHERE NOT EXISTS (SELECT 1 FROM invoice x WHERE x.seller_code = p_doc ->> 'seller_code' AND x.number = n AND x.kind = 'invoice')) THEN
        v_problems := v_problems || jsonb_build_object('key', 'invoice.held.no_preceding',
                                                      'numbers', 'words:' || (SELECT string_agg(n, ',') FROM jsonb_array_elements_text(p_doc -> 'preceding') n));
    END IF;
    IF p_doc ->> 'currency' <> 'EUR' THEN
        v_problems := v_problems || jsonb_build_object('key', 'invoice.held.currency', 'currency', p_doc ->> 'currency');
    END IF;
    RETURN v_problems || coalesce(p_doc -> 'arithmetic', '[]');
END
$$;

-- Who imports an invoice: the acting person, an admin or a product owner; or workflowd taking in
-- its drop folder (a member of devworkflow_daemon with no person record), which imports as the
-- e-invoice operator would deliver: any order's invoice, recorded as its login.
-- The daemon's login: a member of devworkflow_daemon with no person record (what it does is
-- the product's own work, recorded under its login).
CREATE FUNCTION is_daemon_login() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT NOT EXISTS (SELECT 1 FROM person WHERE login = session_user) AND pg_has_role(session_user, 'devworkflow_daemon', 'MEMBER')
$$;

CREATE FUNCTION invoice_importer() RETURNS person
LANGUAGE plpgsql STABLE AS $$
DECLARE
    a person;
BEGIN
    IF is_daemon_login() AND coalesce(current_setting('devworkflow.act_as', true), '') = '' THEN
        a.login := session_user;
        a.name := 'workflowd';
        a.email := 'workflowd@localhost';
        a.role := 'admin';
        a.lang := 'et';
        RETURN a;
    END IF;
    a := actor();
    IF a.role NOT IN ('admin', 'product_owner') THEN
        PERFORM refuse('DW403', 'error.invoice_importers', 'only admins and product owners import invoices');
    END IF;
    RETURN a;
END
$$;

-- Tells of an invoice that waits (held) or was refused: the product owners of its order's system,
-- and the seller when it is a vendor here, each in their language. Not a step of the request, so
-- no event: the message is keyed by the seller's invoice number, told once.
CREATE FUNCTION notify_invoice(p_doc jsonb, p_transition text, p_reasons jsonb, r request, p_vendor text, a person) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_subject text := coalesce(r.id, left(p_doc ->> 'number', 60));
BEGIN
    INSERT INTO workflow.outbox (kind, request_id, transition, recipient, recipient_name, lang, cc, payload, idempotency_key)
    SELECT 'notification', v_subject, p_transition, d.email, d.name, d.lang, d.cc,
           jsonb_build_object('request', v_subject, 'system', r.system, 'title', r.title, 'transition', p_transition,
                              'actor', a.login, 'actor_name', a.name, 'audience', d.audience, 'at', now(),
                              'inputs', jsonb_build_object('invoice', p_doc ->> 'number', 'invoice_id', p_doc -> 'id',
                                                           'order', p_doc ->> 'order', 'seller', p_doc ->> 'seller_name',
                                                           'seller_code', p_doc ->> 'seller_code', 'net', p_doc -> 'net',
                                                           'gross', p_doc -> 'gross', 'currency', p_doc ->> 'currency',
                                                           'kind', p_doc ->> 'kind', 'reasons', p_reasons)),
           'notification:' || p_transition || ':' || md5((p_doc ->> 'seller_code') || ':' || (p_doc ->> 'number') || ':' ||
                                                        coalesce(p_doc ->> 'sha256', '')) || ':' || d.key
    FROM (SELECT * FROM workflow.recipients(r.id, ARRAY['system_owners']) WHERE r.id IS NOT NULL
          UNION ALL
          SELECT * FROM workflow.vendor_recipients(ARRAY[p_vendor], 'seller') WHERE p_vendor IS NOT NULL) d
    WHERE lower(d.email) <> lower(a.email)
    ON CONFLICT (idempotency_key) DO NOTHING;
    IF FOUND AND current_setting('devworkflow.wake_after_commit', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('devworkflow_outbox', '');
    END IF;
END
$$;

-- After import_invoice refused a document it could read (the same number twice), the seller is
-- told why, when it is a vendor here; called in a transaction of its own by the importer.
CREATE FUNCTION tell_invoice_refused(p_doc jsonb, p_reason jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := invoice_importer();
    v_vendor text := (SELECT key FROM vendor WHERE registry_code = p_doc ->> 'seller_code');
BEGIN
    IF v_vendor IS NOT NULL THEN
        PERFORM notify_invoice(p_doc || jsonb_build_object('order', p_doc ->> 'order_number'), 'invoice_refused',
                               jsonb_build_array(p_reason), NULL::request, v_vendor, a);
    END IF;
END
$$;

-- Stores an invoice or credit note as matched or held, with every reason; refuses the same
-- seller's number twice. Admins and the order's system's product owners import; a vendor's
-- login does not. The held ones are told to the product owners and the vendor.
CREATE FUNCTION import_invoice(p_doc jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := invoice_importer();
    v vendor;
    o purchase_order;
    r request;
    v_problems jsonb;
    v_id bigint;
    v_status text;
BEGIN
    -- The same document again (a drop folder read twice): what happened to it then.
    SELECT id, status INTO v_id, v_status FROM invoice WHERE document_sha256 = p_doc ->> 'sha256'
      AND seller_code = p_doc ->> 'seller_code' AND number = p_doc ->> 'number';
    IF v_id IS NOT NULL THEN
        RETURN jsonb_build_object('id', v_id, 'status', v_status, 'again', true);
    END IF;
    IF EXISTS (SELECT 1 FROM invoice WHERE seller_code = p_doc ->> 'seller_code' AND number = p_doc ->> 'number') THEN
        PERFORM refuse('DW422', 'error.invoice_duplicate', format('%s already sent invoice %s', p_doc ->> 'seller_code', p_doc ->> 'number'),
                       jsonb_build_object('seller', p_doc ->> 'seller_code', 'number', left(p_doc ->> 'number', 60)));
    END IF;
    SELECT * INTO v FROM vendor WHERE registry_code = p_doc ->> 'seller_code';
    -- A credit note naming no order is for its preceding invoice's order (two look-ups, each by an index).
    IF p_doc ->> 'order_number' IS NOT NULL THEN
        SELECT * INTO o FROM purchase_order WHERE number = p_doc ->> 'order_number';
    ELSE
        SELECT * INTO o FROM purchase_order WHERE number = (SELECT x.order_ref FROM invoice x
                                                            WHERE x.seller_code = p_doc ->> 'seller_code'
                                                              AND x.number = p_doc -> 'preceding' ->> 0);
    END IF;
    IF o.number IS NOT NULL THEN
        SELECT * INTO r FROM request WHERE id = o.request_id;
        IF a.role = 'product_owner' AND NOT EXISTS (SELECT 1 FROM person_system WHERE login = a.login AND system = r.system) THEN
            PERFORM refuse('DW403', 'error.invoice_other_system', format('%s is %s''s order; %s owns other systems', o.number, r.system, a.login),
                           jsonb_build_object('order', o.number, 'system', r.system));
        END IF;
    ELSIF a.role <> 'admin' THEN
        PERFORM refuse('DW403', 'error.invoice_no_order_admins', 'an invoice for no known order is for an admin to import',
                       jsonb_build_object('order', coalesce(p_doc ->> 'order_number', '-')));
    END IF;
    v_problems := invoice_problems(p_doc, v, o, r.state);
    INSERT INTO invoice (kind, number, seller_code, seller_name, vendor, order_number, order_ref, contract_ref, preceding, issue_date,
                         due_date, currency, net, vat, gross, lines, document_sha256, status, reasons, imported_by)
    VALUES (p_doc ->> 'kind', p_doc ->> 'number', p_doc ->> 'seller_code', p_doc ->> 'seller_name', v.key, p_doc ->> 'order_number',
            o.number, p_doc ->> 'contract_ref', ARRAY(SELECT jsonb_array_elements_text(coalesce(p_doc -> 'preceding', '[]'))),
            (p_doc ->> 'issue_date')::date, (p_doc ->> 'due_date')::date, p_doc ->> 'currency', (p_doc ->> 'net')::numeric,
            (p_doc ->> 'vat')::numeric, (p_doc ->> 'gross')::numeric, (p_doc ->> 'lines')::integer, p_doc ->> 'sha256',
            CASE WHEN jsonb_array_length(v_problems) = 0 THEN 'matched' ELSE 'held' END, v_problems, a.login)
    RETURNING id, status INTO v_id, v_status;
    IF v_status = 'held' THEN
        PERFORM notify_invoice(p_doc || jsonb_build_object('id', v_id, 'order', coalesce(o.number, p_doc ->> 'order_number')),
                               'invoice_held', v_problems, r, v.key, a);
    END IF;
    RETURN jsonb_build_object('id', v_id, 'status', v_status, 'reasons', v_problems, 'order', o.number, 'vendor', v.key, 'again', false);
END
$$;

-- An admin accepts a held invoice; the reason is kept.
CREATE FUNCTION release_invoice(p_id bigint, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := require_admin();
    v_status text;
BEGIN
    SELECT status INTO v_status FROM invoice WHERE id = p_id FOR UPDATE;
    IF v_status IS NULL THEN
        PERFORM refuse('DW404', 'error.no_invoice', format('no invoice %s', p_id), jsonb_build_object('id', p_id));
    END IF;
    IF v_status <> 'held' THEN
        PERFORM refuse('DW422', 'error.invoice_not_held', format('invoice %s is %s, not held', p_id, v_status),
                       jsonb_build_object('id', p_id, 'status', 'message:invoice.status.' || v_status));
    END IF;
    UPDATE invoice SET status = 'released', released_by = a.login, released_at = now(),
                       release_reason = checked_text('reason', p_reason, 5000, true)
    WHERE id = p_id;
END
$$;

-- Records that an invoice was paid (admins and the order's product owners); a held one is not paid.
CREATE FUNCTION pay_invoice(p_id bigint, p_date date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    x invoice;
BEGIN
    SELECT * INTO x FROM invoice WHERE id = p_id FOR UPDATE;
    IF x.id IS NULL OR NOT invoice_visible(x, a) THEN
        PERFORM refuse('DW404', 'error.no_invoice', format('no invoice %s', p_id), jsonb_build_object('id', p_id));
    END IF;
    IF a.role NOT IN ('admin', 'product_owner') THEN
        PERFORM refuse('DW403', 'error.invoice_importers', 'only admins and product owners record payments');
    END IF;
    IF x.status = 'held' THEN
        PERFORM refuse('DW422', 'error.invoice_held_unpaid', format('invoice %s is held: an admin releases it first', p_id),
                       jsonb_build_object('id', p_id));
    END IF;
    IF x.paid_on IS NOT NULL THEN
        PERFORM refuse('DW422', 'error.invoice_paid', format('invoice %s was paid on %s', p_id, x.paid_on),
                       jsonb_build_object('id', p_id, 'date', x.paid_on));
    END IF;
    PERFORM checked_date('paid_on', p_date);
    IF p_date < x.issue_date OR p_date > (now() AT TIME ZONE 'Europe/Tallinn')::date THEN
        PERFORM refuse('DW422', 'error.payment_date', format('a payment date is from the invoice''s date (%s) to today', x.issue_date),
                       jsonb_build_object('date', p_date, 'issued', x.issue_date));
    END IF;
    UPDATE invoice SET paid_on = p_date, paid_by = a.login WHERE id = p_id;
END
$$;

-- Who sees an invoice: admins; the product owners of its order's system; the seller's own users.
CREATE FUNCTION invoice_visible(x invoice, a person) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT a.role = 'admin'
        OR (a.role = 'product_owner' AND EXISTS (SELECT 1 FROM workflow.purchase_order o JOIN workflow.request r ON r.id = o.request_id
                                                  JOIN workflow.person_system ps ON ps.system = r.system
                                                  WHERE o.number = x.order_ref AND ps.login = a.login))
        OR (a.role = 'vendor' AND x.vendor = a.vendor)
$$;

-- The invoices the acting person may see (all, or held ones, or one order's), newest first.
CREATE FUNCTION invoices(p_held boolean DEFAULT false, p_order text DEFAULT NULL, p_id bigint DEFAULT NULL) RETURNS SETOF jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
BEGIN
    IF p_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM invoice x WHERE x.id = p_id AND invoice_visible(x, a)) THEN
        PERFORM refuse('DW404', 'error.no_invoice', format('no invoice %s', p_id), jsonb_build_object('id', p_id));
    END IF;
    RETURN QUERY
    SELECT jsonb_build_object('id', x.id, 'kind', x.kind, 'number', x.number, 'seller', x.seller_name, 'seller_code', x.seller_code,
                              'vendor', x.vendor, 'order', coalesce(x.order_ref, x.order_number), 'contract', x.contract_ref,
                              'preceding', to_jsonb(x.preceding), 'issue_date', x.issue_date, 'due_date', x.due_date,
                              'currency', x.currency, 'net', x.net, 'vat', x.vat, 'gross', x.gross, 'lines', x.lines,
                              'status', x.status, 'reasons', x.reasons, 'imported_by', x.imported_by, 'imported_at', x.imported_at,
                              'released_by', x.released_by, 'release_reason', x.release_reason, 'paid_on', x.paid_on,
                              'sha256', x.document_sha256)
    FROM invoice x
    WHERE invoice_visible(x, a) AND (NOT p_held OR x.status = 'held') AND (p_order IS NULL OR x.order_ref = p_order)
      AND (p_id IS NULL OR x.id = p_id)
    ORDER BY x.id DESC;
END
$$;

-- The vendor's report shows each order's invoices and what is still to invoice (net).
DROP FUNCTION vendor_report_rows(text, date);
DROP FUNCTION vendor_report_query(text, date);
CREATE FUNCTION vendor_report_query(p_vendor text, p_today date)
RETURNS TABLE (request text, system text, title text, state text, quote_due date, hours numeric, price numeric, delivery date,
               order_number text, order_date date, deadline date, days_late integer, delivered_on date, accepted_on date, returns integer,
               invoices text, held integer, invoiced numeric, to_invoice numeric, paid numeric)
LANGUAGE sql STABLE AS $$
    SELECT r.id, r.system, r.title, r.state, i.due, q.hours, q.price, q.delivery, o.number, o.order_date, o.deadline,
           CASE WHEN o.number IS NULL OR o.cancelled_at IS NOT NULL THEN NULL
                ELSE greatest(0, coalesce((coalesce(o.delivered_at, o.accepted_at) AT TIME ZONE 'Europe/Tallinn')::date,
                                          CASE WHEN r.state = 'ordered' THEN p_today END) - o.deadline) END,
           (o.delivered_at AT TIME ZONE 'Europe/Tallinn')::date, (o.accepted_at AT TIME ZONE 'Europe/Tallinn')::date,
           coalesce(o.returns, 0),
           x.numbers, x.held::integer, x.invoiced, CASE WHEN o.number IS NOT NULL AND o.cancelled_at IS NULL THEN o.price - coalesce(x.invoiced, 0) END,
           x.paid
    FROM workflow.invitation i
    JOIN workflow.request r ON r.id = i.request_id
    LEFT JOIN workflow.quote q ON q.request_id = i.request_id AND q.vendor = i.vendor
    LEFT JOIN workflow.purchase_order o ON o.request_id = i.request_id AND o.vendor = i.vendor
    LEFT JOIN LATERAL (
        SELECT string_agg(v.number, ', ' ORDER BY v.issue_date, v.id) AS numbers, count(*) FILTER (WHERE v.status = 'held') AS held,
               sum(workflow.invoice_sign(v.kind) * v.net) FILTER (WHERE v.status <> 'held') AS invoiced,
               sum(workflow.invoice_sign(v.kind) * v.net) FILTER (WHERE v.status <> 'held' AND v.paid_on IS NOT NULL) AS paid
        FROM workflow.invoice v WHERE v.order_ref = o.number AND v.vendor = i.vendor) x ON o.number IS NOT NULL
    WHERE i.vendor = p_vendor
    ORDER BY r.system, r.number
$$;

CREATE FUNCTION vendor_report_rows(p_vendor text, p_today date)
RETURNS TABLE (request text, system text, title text, state text, quote_due date, hours numeric, price numeric, delivery date,
               order_number text, order_date date, deadline date, days_late integer, delivered_on date, accepted_on date, returns integer,
               invoices text, held integer, invoiced numeric, to_invoice numeric, paid numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
BEGIN
    PERFORM vendor_report_name(p_vendor);
    RETURN QUERY SELECT * FROM vendor_report_query(p_vendor, p_today);
END
$$;

-- The budget report's figures per system for a year, gross: the budget; committed (ordered and
-- not yet invoiced); invoiced (matched and released invoices less credit notes); paid; left.
-- Aggregates every staff member and the daemon may read, whoever's invoices they are.
CREATE FUNCTION budget_lines(p_year integer)
RETURNS TABLE (system text, budget numeric, committed numeric, invoiced numeric, paid numeric, left_over numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
    SELECT s.key, b.amount, coalesce(u.committed, 0), coalesce(u.invoiced, 0), coalesce(u.paid, 0),
           b.amount - coalesce(u.committed, 0) - coalesce(u.invoiced, 0)
    FROM system s
    LEFT JOIN budget b ON b.system = s.key AND b.year = p_year
    LEFT JOIN LATERAL (
        SELECT sum(CASE WHEN o.cancelled_at IS NULL THEN greatest(o.gross - coalesce(x.invoiced, 0), 0) ELSE 0 END) AS committed,
               sum(x.invoiced) AS invoiced, sum(x.paid) AS paid
        FROM purchase_order o
        JOIN request r ON r.id = o.request_id
        LEFT JOIN LATERAL (
            SELECT sum(invoice_sign(v.kind) * v.gross) FILTER (WHERE v.status <> 'held') AS invoiced,
                   sum(invoice_sign(v.kind) * v.gross) FILTER (WHERE v.status <> 'held' AND v.paid_on IS NOT NULL) AS paid
            FROM invoice v WHERE v.order_ref = o.number) x ON true
        WHERE r.system = s.key AND o.order_date BETWEEN make_date(p_year, 1, 1) AND make_date(p_year, 12, 31)
    ) u ON true
    WHERE (SELECT is_staff()) OR pg_has_role(session_user, 'devworkflow_daemon', 'MEMBER')
    ORDER BY s.key
$$;

-- Staff read invoices through RLS as the policy says (a requester sees none); vendors through invoices().
ALTER TABLE invoice ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoice_read ON invoice FOR SELECT USING (invoice_visible(invoice, (SELECT session_person())));
CREATE POLICY invoice_daemon ON invoice FOR SELECT TO devworkflow_daemon USING (true);
ALTER TABLE vat_rate ENABLE ROW LEVEL SECURITY;
CREATE POLICY vat_rate_read ON vat_rate FOR SELECT USING ((SELECT is_person()));
CREATE POLICY vat_rate_daemon ON vat_rate FOR SELECT TO devworkflow_daemon USING (true);

-- 0006's ALTER DEFAULT PRIVILEGES IN SCHEMA could not take EXECUTE away from PUBLIC (a schema's
-- defaults only add to the global ones), so the functions made here were anyone's until now:
-- revoke them all, and take the global default away for the functions of later migrations.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA workflow FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

REVOKE ALL ON vat_rate, invoice FROM PUBLIC, devworkflow_user;
GRANT SELECT ON vat_rate, invoice TO devworkflow_staff, devworkflow_daemon;
GRANT EXECUTE ON FUNCTION vat_rates(), set_vat_rate(date, numeric), add_vendor(text, text, text, text, text), import_invoice(jsonb),
    release_invoice(bigint, text), pay_invoice(bigint, date), invoices(boolean, text, bigint), tell_invoice_refused(jsonb, jsonb),
    vendor_report_rows(text, date), vendor_report_query(text, date)
TO devworkflow_user;
GRANT EXECUTE ON FUNCTION vendor_report_rows(text, date), vendor_report_query(text, date), budget_lines(integer), import_invoice(jsonb),
    tell_invoice_refused(jsonb, jsonb) TO devworkflow_daemon;
GRANT EXECUTE ON FUNCTION budget_lines(integer) TO devworkflow_staff;
GRANT EXECUTE ON FUNCTION invoice_visible(invoice, person), invoice_sign(text), vat_rate_on(date), vat_of(numeric, numeric)
TO devworkflow_staff, devworkflow_daemon;
