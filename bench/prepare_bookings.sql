-- Benchmark fixture: 100,000 accepted offers of the first bank on open needs of verified
-- enterprises, each with a guarantee request approved by the first guarantee agency, ready to be
-- booked by bookings.lua. Run with sqlite3 on a demo database. Offer ids and request ids are
-- both consecutive, in the same order, starting at (max id + 1) of their tables.
CREATE TEMP TABLE bench_params AS
SELECT 100000 AS n,
       (SELECT min(id) FROM tenants WHERE kind = 'bank') AS bank,
       (SELECT min(id) FROM tenants WHERE kind = 'guarantor') AS guarantor;
INSERT INTO needs (enterprise_id, amount_fen, term_months, purpose, collateral_free_required, status, created_at)
SELECT e.id, 10000000 + (e.id % 1000) * 10000, 12 + (e.id % 3) * 12, 'bench', 0, 'open', 0
FROM enterprises e WHERE e.status = 'verified' ORDER BY e.id LIMIT (SELECT n FROM bench_params);
INSERT INTO offers (need_id, bank_tenant_id, amount_fen, annual_rate_bps, term_months, method, kind, status, created_at, decided_at)
SELECT n.id, (SELECT bank FROM bench_params), n.amount_fen, 395, n.term_months,
       CASE n.id % 3 WHEN 0 THEN 'equal_installment' WHEN 1 THEN 'equal_principal' ELSE 'bullet' END,
       'standard', 'accepted', 0, 0
FROM needs n WHERE n.purpose = 'bench' ORDER BY n.id;
INSERT INTO guarantee_requests (offer_id, bank_tenant_id, guarantor_tenant_id, cover_bps, fee_bps, status, created_at, decided_at)
SELECT o.id, o.bank_tenant_id, (SELECT guarantor FROM bench_params), 7000, 150, 'approved', 0, 0
FROM offers o JOIN needs n ON n.id = o.need_id WHERE n.purpose = 'bench' ORDER BY o.id;
