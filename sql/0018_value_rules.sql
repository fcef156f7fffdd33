-- A value's rule is checked when the value is written (issue 14's speed rows).
--
-- PostgreSQL 15 checks every CHECK constraint of a table on every row an UPDATE writes, whatever
-- columns the UPDATE sets, and for every statement it reads each constraint back from its stored
-- text and plans it again (ExecConstraints: stringToNode, expression_planner). So a move's UPDATE
-- of the request's state checked the request's title, description, requester, priority and quote
-- due date again; the order's delivery its number, amounts and dates; the running totals an order
-- keeps the contract's seven rules and the budget's three. callgrind on a single-user backend
-- counted 2.79 million instructions for a deliver or return move, 15 % of them those checks.
--
-- On the tables a move updates (request, purchase_order, contract, budget) and on the outbox every
-- move writes to, each table's CHECK constraints become one BEFORE trigger that runs when a row is
-- inserted or one of the checked columns is set (UPDATE OF …). The rules are the same; so are the
-- SQLSTATE (23514, check_violation), the constraint names and the messages. A step that writes
-- other columns no longer pays for them: the same move, 2.42 million instructions.
--
-- The constraints that were NOT VALID (rows stored before the ranges existed are left for an admin
-- to look at) become a little more lenient: an old order out of range can still be delivered,
-- accepted or cancelled, and it is refused only when one of the checked columns is set again (a
-- return sets the deadline). Until now it was refused at any change, a move included.
--
-- A superuser who turns triggers off (session_replication_role = replica) skips these rules, as
-- they skip every trigger of the schema, the audit log's included; a CHECK constraint held even
-- then. Nobody else can.
--
-- Each trigger is named so that it sorts after the table's other BEFORE triggers: PostgreSQL fires
-- them in name order, and the checks see the row as the others left it. The functions set no
-- search_path of their own (that would cost a move what 0019 saves): they run with the writer's,
-- so the one function they call is named with its schema.

-- The error a broken rule gives: a CHECK constraint's own.
CREATE FUNCTION value_refused(p_table text, p_rule text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'new row for relation "%" violates check constraint "%"', p_table, p_rule
        USING ERRCODE = 'check_violation', CONSTRAINT = p_rule, TABLE = p_table, SCHEMA = 'workflow';
END
$$;

-- Requests ------------------------------------------------------------------------------------------

ALTER TABLE request DROP CONSTRAINT request_title_present, DROP CONSTRAINT request_description_length,
                    DROP CONSTRAINT request_requester_length, DROP CONSTRAINT request_priority_range,
                    DROP CONSTRAINT request_quote_due_range;

CREATE FUNCTION request_values_checked() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- A rule holds when its expression is true or NULL, as a CHECK constraint's does.
    v_broken text := CASE WHEN NOT (btrim(NEW.title) <> '' AND length(NEW.title) <= 300) THEN 'request_title_present'
                          WHEN NOT (length(NEW.description) <= 20000) THEN 'request_description_length'
                          WHEN NOT (length(NEW.requester) <= 200) THEN 'request_requester_length'
                          WHEN NOT (NEW.priority BETWEEN 1 AND 5) THEN 'request_priority_range'
                          WHEN NOT (NEW.quote_due BETWEEN '2000-01-01' AND '2100-12-31') THEN 'request_quote_due_range' END;
BEGIN
    IF v_broken IS NOT NULL THEN PERFORM workflow.value_refused(TG_TABLE_NAME, v_broken); END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER request_values_checked BEFORE INSERT OR UPDATE OF title, description, requester, priority, quote_due ON request
    FOR EACH ROW EXECUTE FUNCTION request_values_checked();

-- Orders ----------------------------------------------------------------------------------------------

ALTER TABLE purchase_order DROP CONSTRAINT order_number_format, DROP CONSTRAINT order_ranges, DROP CONSTRAINT order_gross;

CREATE FUNCTION purchase_order_values_checked() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_broken text := CASE WHEN NOT (NEW.number ~ '^ORD-[0-9]{4}-[0-9]{4,}$') THEN 'order_number_format'
                          WHEN NOT (NEW.price >= 0 AND NEW.price <= 999999999999.99
                                    AND NEW.order_date BETWEEN '2000-01-01' AND '2100-12-31'
                                    AND NEW.deadline BETWEEN '2000-01-01' AND '2100-12-31') THEN 'order_ranges'
                          WHEN NOT (NEW.vat >= 0 AND NEW.gross = NEW.price + NEW.vat AND NEW.vat_rate BETWEEN 0 AND 100) THEN 'order_gross' END;
BEGIN
    IF v_broken IS NOT NULL THEN PERFORM workflow.value_refused(TG_TABLE_NAME, v_broken); END IF;
    RETURN NEW;
END
$$;

-- After purchase_order_terms, which fills in the contract's terms.
CREATE TRIGGER purchase_order_values_checked
    BEFORE INSERT OR UPDATE OF number, price, order_date, deadline, vat, gross, vat_rate ON purchase_order
    FOR EACH ROW EXECUTE FUNCTION purchase_order_values_checked();

-- Contracts: an order and its cancellation move the running total (`used`), nothing else -----------

ALTER TABLE contract DROP CONSTRAINT contract_number_check, DROP CONSTRAINT contract_period, DROP CONSTRAINT contract_rate_positive,
                     DROP CONSTRAINT contract_cap_positive, DROP CONSTRAINT contract_dates_range,
                     DROP CONSTRAINT contract_amounts_range, DROP CONSTRAINT contract_terms_range;

CREATE FUNCTION contract_values_checked() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_broken text := CASE WHEN NOT (btrim(NEW.number) <> '' AND length(NEW.number) <= 100) THEN 'contract_number_check'
                          WHEN NOT (NEW.valid_to >= NEW.valid_from) THEN 'contract_period'
                          WHEN NOT (NEW.hourly_rate > 0) THEN 'contract_rate_positive'
                          WHEN NOT (NEW.cap > 0) THEN 'contract_cap_positive'
                          WHEN NOT (NEW.valid_from BETWEEN '2000-01-01' AND '2100-12-31'
                                    AND NEW.valid_to BETWEEN '2000-01-01' AND '2100-12-31') THEN 'contract_dates_range'
                          WHEN NOT (NEW.hourly_rate <= 999999999999.99 AND NEW.cap <= 999999999999.99) THEN 'contract_amounts_range'
                          WHEN NOT (NEW.warranty_months BETWEEN 0 AND 240 AND NEW.fix_days BETWEEN 1 AND 250
                                    AND NEW.penalty_per_day BETWEEN 0 AND 100 AND NEW.penalty_cap > 0
                                    AND NEW.penalty_cap <= 100) THEN 'contract_terms_range' END;
BEGIN
    IF v_broken IS NOT NULL THEN PERFORM workflow.value_refused(TG_TABLE_NAME, v_broken); END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER contract_values_checked
    BEFORE INSERT OR UPDATE OF number, valid_from, valid_to, hourly_rate, cap, warranty_months, fix_days, penalty_per_day, penalty_cap
    ON contract FOR EACH ROW EXECUTE FUNCTION contract_values_checked();

-- Budgets: likewise ---------------------------------------------------------------------------------

ALTER TABLE budget DROP CONSTRAINT budget_amount_nonnegative, DROP CONSTRAINT budget_amount_range, DROP CONSTRAINT budget_year_range;

CREATE FUNCTION budget_values_checked() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_broken text := CASE WHEN NOT (NEW.amount >= 0) THEN 'budget_amount_nonnegative'
                          WHEN NOT (NEW.amount <= 999999999999.99) THEN 'budget_amount_range'
                          WHEN NOT (NEW.year BETWEEN 2000 AND 2100) THEN 'budget_year_range' END;
BEGIN
    IF v_broken IS NOT NULL THEN PERFORM workflow.value_refused(TG_TABLE_NAME, v_broken); END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER budget_values_checked BEFORE INSERT OR UPDATE OF amount, year ON budget
    FOR EACH ROW EXECUTE FUNCTION budget_values_checked();

-- The outbox: every notification is a row, and workflowd sets each one's status --------------------

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check, DROP CONSTRAINT outbox_status_check;

CREATE FUNCTION outbox_values_checked() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_broken text := CASE WHEN NOT (NEW.kind IN ('notification', 'reminder')) THEN 'outbox_kind_check'
                          WHEN NOT (NEW.status IN ('pending', 'delivered', 'failed')) THEN 'outbox_status_check' END;
BEGIN
    IF v_broken IS NOT NULL THEN PERFORM workflow.value_refused(TG_TABLE_NAME, v_broken); END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER outbox_values_checked BEFORE INSERT OR UPDATE OF kind, status ON outbox
    FOR EACH ROW EXECUTE FUNCTION outbox_values_checked();

-- Trigger functions are not for calling. workflowd sets the status of outbox rows itself: the
-- refusal is its to raise too.
REVOKE ALL ON FUNCTION value_refused(text, text), request_values_checked(), purchase_order_values_checked(),
                       contract_values_checked(), budget_values_checked(), outbox_values_checked() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION value_refused(text, text) TO devworkflow_daemon;
