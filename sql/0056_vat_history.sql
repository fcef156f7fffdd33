-- Estonia's VAT rate before 2009: 18 % --------------------------------------------------------------
-- 0007 seeded 20 % from 2000-01-01. The standard rate was 18 % until 2009-06-30 and 20 % from
-- 2009-07-01 (then 22 % from 2024 and 24 % from 2025-07, as seeded). A rate an admin has set since
-- is left as it is: only the seed's own row is corrected, through the audited table as any change.
UPDATE vat_rate SET rate = 18 WHERE valid_from = '2000-01-01' AND rate = 20 AND set_by = 'seed';
INSERT INTO vat_rate (valid_from, rate, set_by)
SELECT '2009-07-01', 20, 'seed'
WHERE EXISTS (SELECT 1 FROM vat_rate WHERE valid_from = '2000-01-01' AND rate = 18 AND set_by = 'seed')
ON CONFLICT (valid_from) DO NOTHING;
