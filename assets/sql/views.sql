-- Researcher views (shared/contract/WAREHOUSE.md). Recreated on every load.
-- A förbund exists in the years its registry validity covers (forbund.valid_from / valid_to, by calendar
-- year); a förbund outside the registry has no limits.
-- One row per förbund and fiscal year in which it existed, read from the document of that year, else from
-- the newest document that reports the year (its prior-year column). A förbund formed by merger prints
-- prior-year columns for years before it existed: those belong to its predecessors and are left out.
CREATE OR REPLACE VIEW forbund_year AS
WITH candidates AS (
    SELECT DISTINCT f.forbund_id, f.fiscal_year, f.document_id, d.fiscal_year AS document_year, d.decided_on
    FROM financial_facts AS f
    JOIN documents AS d USING (document_id)
    LEFT JOIN forbund AS r ON r.forbund_id = f.forbund_id
    WHERE d.status = 'loaded' AND d.document_type = 'arsredovisning'
      AND (r.valid_from IS NULL OR f.fiscal_year >= year(r.valid_from))
      AND (r.valid_to IS NULL OR f.fiscal_year <= year(r.valid_to))
),
chosen AS (
    SELECT forbund_id, fiscal_year,
           arg_max(document_id, (document_year = fiscal_year, document_year, coalesce(decided_on, DATE '0001-01-01'),
                                 document_id)) AS source_document_id
    FROM candidates
    GROUP BY ALL
),
statements AS (
    SELECT c.forbund_id, c.fiscal_year, c.source_document_id,
        coalesce(max(f.amount_sek) FILTER (WHERE f.statement = 'income' AND f.line_code = 'revenue_total'),
                 sum(f.amount_sek) FILTER (WHERE f.statement = 'income'
                                             AND f.line_code IN ('member_contributions', 'other_revenue'))) AS revenue_sek,
        sum(f.amount_sek) FILTER (WHERE f.statement = 'income'
                                    AND f.line_code IN ('operating_costs', 'depreciation')) AS costs_sek,
        max(f.amount_sek) FILTER (WHERE f.statement = 'income' AND f.line_code = 'net_result') AS net_result_sek,
        coalesce(max(f.amount_sek) FILTER (WHERE f.statement = 'balance' AND f.line_code = 'equity_total'),
                 sum(f.amount_sek) FILTER (WHERE f.statement = 'balance'
                                             AND f.line_code IN ('equity_net_result', 'equity_other', 'equity_transfer')))
            AS equity_sek,
        max(f.amount_sek) FILTER (WHERE f.statement = 'balance' AND f.line_code = 'total_assets') AS total_assets_sek
    FROM chosen AS c
    JOIN financial_facts AS f ON f.document_id = c.source_document_id AND f.fiscal_year = c.fiscal_year
    GROUP BY ALL
),
contributions AS (
    SELECT c.forbund_id, c.fiscal_year,
        sum(m.amount_sek) FILTER (WHERE m.contributor_type = 'state') AS contributions_state_sek,
        sum(m.amount_sek) FILTER (WHERE m.contributor_type = 'region') AS contributions_region_sek,
        sum(m.amount_sek) FILTER (WHERE m.contributor_type = 'municipality') AS contributions_municipality_sek,
        sum(m.amount_sek) FILTER (WHERE m.contributor_type = 'eu') AS contributions_eu_sek,
        sum(m.amount_sek) FILTER (WHERE m.contributor_type = 'other') AS contributions_other_sek
    FROM chosen AS c
    JOIN member_contributions AS m ON m.document_id = c.source_document_id AND m.fiscal_year = c.fiscal_year
    GROUP BY ALL
),
participants AS (
    SELECT c.forbund_id, c.fiscal_year,
        sum(i.participants_total) AS participants_total,
        sum(i.participants_women) AS participants_women,
        sum(i.participants_men) AS participants_men
    FROM chosen AS c
    JOIN interventions AS i ON i.document_id = c.source_document_id AND i.fiscal_year = c.fiscal_year
    GROUP BY ALL
),
warnings AS (
    SELECT document_id, count(*) AS warnings
    FROM quality_results
    WHERE severity = 'warning' AND NOT passed
    GROUP BY ALL
)
SELECT
    s.forbund_id,
    coalesce(r.forbund_name, d.forbund_name) AS forbund_name,
    s.fiscal_year,
    s.source_document_id,
    s.revenue_sek::BIGINT AS revenue_sek,
    s.costs_sek::BIGINT AS costs_sek,
    s.net_result_sek::BIGINT AS net_result_sek,
    s.equity_sek::BIGINT AS equity_sek,
    s.total_assets_sek::BIGINT AS total_assets_sek,
    c.contributions_state_sek::BIGINT AS contributions_state_sek,
    c.contributions_region_sek::BIGINT AS contributions_region_sek,
    c.contributions_municipality_sek::BIGINT AS contributions_municipality_sek,
    c.contributions_eu_sek::BIGINT AS contributions_eu_sek,
    c.contributions_other_sek::BIGINT AS contributions_other_sek,
    round(100.0 * s.equity_sek / nullif(coalesce(c.contributions_state_sek, 0) + coalesce(c.contributions_region_sek, 0)
                                        + coalesce(c.contributions_municipality_sek, 0), 0), 1)
        AS equity_to_contributions_pct,
    p.participants_total::INTEGER AS participants_total,
    p.participants_women::INTEGER AS participants_women,
    p.participants_men::INTEGER AS participants_men,
    coalesce(w.warnings, 0)::INTEGER AS warnings
FROM statements AS s
JOIN documents AS d ON d.document_id = s.source_document_id
LEFT JOIN forbund AS r ON r.forbund_id = s.forbund_id
LEFT JOIN contributions AS c ON c.forbund_id = s.forbund_id AND c.fiscal_year = s.fiscal_year
LEFT JOIN participants AS p ON p.forbund_id = s.forbund_id AND p.fiscal_year = s.fiscal_year
LEFT JOIN warnings AS w ON w.document_id = s.source_document_id;

COMMENT ON VIEW forbund_year IS 'One row per förbund and fiscal year in which it existed (registry validity; no limits outside the registry), from the document of that year, else the newest document that reports the year.';

-- The same money summed over all förbund, per fiscal year, with how many förbund that is of those the
-- registry knows to have existed in the year.
CREATE OR REPLACE VIEW national_year AS
WITH registered AS (
    SELECT y.fiscal_year, count(*)::INTEGER AS forbunds_registered
    FROM (SELECT DISTINCT fiscal_year FROM forbund_year) AS y
    JOIN forbund AS r
        ON (r.valid_from IS NULL OR y.fiscal_year >= year(r.valid_from))
       AND (r.valid_to IS NULL OR y.fiscal_year <= year(r.valid_to))
    GROUP BY ALL
)
SELECT
    fy.fiscal_year,
    count(*)::INTEGER AS forbunds_reporting,
    (count(*) FILTER (WHERE r.forbund_id IS NOT NULL))::INTEGER AS forbunds_registered_reporting,
    coalesce(any_value(g.forbunds_registered), 0)::INTEGER AS forbunds_registered,
    sum(revenue_sek)::BIGINT AS revenue_sek,
    sum(costs_sek)::BIGINT AS costs_sek,
    sum(net_result_sek)::BIGINT AS net_result_sek,
    sum(equity_sek)::BIGINT AS equity_sek,
    sum(total_assets_sek)::BIGINT AS total_assets_sek,
    sum(contributions_state_sek)::BIGINT AS contributions_state_sek,
    sum(contributions_region_sek)::BIGINT AS contributions_region_sek,
    sum(contributions_municipality_sek)::BIGINT AS contributions_municipality_sek,
    sum(contributions_eu_sek)::BIGINT AS contributions_eu_sek,
    sum(contributions_other_sek)::BIGINT AS contributions_other_sek,
    median(equity_to_contributions_pct) AS median_equity_to_contributions_pct,
    (count(*) FILTER (WHERE equity_to_contributions_pct > 20))::INTEGER AS forbunds_over_20_pct,
    sum(participants_total)::INTEGER AS participants_total,
    sum(participants_women)::INTEGER AS participants_women,
    sum(participants_men)::INTEGER AS participants_men
FROM forbund_year AS fy
LEFT JOIN forbund AS r ON r.forbund_id = fy.forbund_id
LEFT JOIN registered AS g ON g.fiscal_year = fy.fiscal_year
GROUP BY fy.fiscal_year;

COMMENT ON VIEW national_year IS 'One row per fiscal year: money summed over all förbund in forbund_year, how many förbund that covers of those registered for the year, the median equity-to-contributions percentage and how many förbund exceed the 20 % recommendation.';

-- Which registered förbund have their reports loaded, per year: every registered förbund for every year from
-- the first to the last fiscal year of the loaded documents, within the förbund's validity.
CREATE OR REPLACE VIEW coverage AS
WITH years AS (
    SELECT unnest(range(min(fiscal_year), max(fiscal_year) + 1))::INTEGER AS fiscal_year
    FROM documents
    WHERE status = 'loaded'
),
expected AS (
    SELECT r.forbund_id, r.forbund_name, r.lan_name, y.fiscal_year
    FROM forbund AS r
    JOIN years AS y
        ON (r.valid_from IS NULL OR y.fiscal_year >= year(r.valid_from))
       AND (r.valid_to IS NULL OR y.fiscal_year <= year(r.valid_to))
),
loaded AS (
    SELECT forbund_id, fiscal_year,
        arg_max(document_id, (coalesce(decided_on, DATE '0001-01-01'), document_id))
            FILTER (WHERE document_type = 'arsredovisning') AS annual_report_document_id,
        arg_max(document_id, (coalesce(decided_on, DATE '0001-01-01'), document_id))
            FILTER (WHERE document_type = 'verksamhetsplan') AS plan_document_id,
        (count(*) FILTER (WHERE document_type = 'arsredovisning'))::INTEGER AS annual_reports_loaded
    FROM documents
    WHERE status = 'loaded'
    GROUP BY ALL
)
SELECT
    e.forbund_id,
    e.forbund_name,
    e.lan_name,
    e.fiscal_year,
    CASE WHEN l.annual_report_document_id IS NULL THEN 'missing' ELSE 'loaded' END AS annual_report,
    l.annual_report_document_id,
    CASE WHEN l.plan_document_id IS NULL THEN 'missing' ELSE 'loaded' END AS plan,
    l.plan_document_id,
    coalesce(l.annual_reports_loaded, 0)::INTEGER AS annual_reports_loaded
FROM expected AS e
LEFT JOIN loaded AS l ON l.forbund_id = e.forbund_id AND l.fiscal_year = e.fiscal_year;

COMMENT ON VIEW coverage IS 'One row per registered förbund and year (from the first to the last fiscal year of the loaded documents, within the förbund''s validity): whether its annual report and its plan are loaded or missing.';
COMMENT ON COLUMN coverage.forbund_id IS 'The registered förbund''s slug.';
COMMENT ON COLUMN coverage.forbund_name IS 'Official name (registry).';
COMMENT ON COLUMN coverage.lan_name IS 'The county (län) or counties, from the registry.';
COMMENT ON COLUMN coverage.fiscal_year IS 'The year, within the förbund''s validity (forbund.valid_from / valid_to).';
COMMENT ON COLUMN coverage.annual_report IS 'loaded or missing: whether an annual report (arsredovisning) for the year is loaded.';
COMMENT ON COLUMN coverage.annual_report_document_id IS 'The loaded annual report (the latest decided where several are loaded); NULL where missing.';
COMMENT ON COLUMN coverage.plan IS 'loaded or missing: whether a plan and budget (verksamhetsplan) whose first year is this year is loaded.';
COMMENT ON COLUMN coverage.plan_document_id IS 'The loaded plan; NULL where missing.';
COMMENT ON COLUMN coverage.annual_reports_loaded IS 'How many annual reports of the förbund for the year are loaded; more than 1 goes with a possible_duplicate_report warning.';

COMMENT ON COLUMN forbund_year.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN forbund_year.forbund_name IS 'Official name (registry), else as identified in the report.';
COMMENT ON COLUMN forbund_year.fiscal_year IS 'The year.';
COMMENT ON COLUMN forbund_year.source_document_id IS 'The document the row is read from: that year''s annual report, else the newest one reporting the year.';
COMMENT ON COLUMN forbund_year.revenue_sek IS 'Verksamhetens intäkter (or member contributions + other revenue where no total is printed).';
COMMENT ON COLUMN forbund_year.costs_sek IS 'Operating costs and depreciation, negative.';
COMMENT ON COLUMN forbund_year.net_result_sek IS 'Årets resultat.';
COMMENT ON COLUMN forbund_year.equity_sek IS 'Summa eget kapital, or the sum of the equity lines where no total is printed.';
COMMENT ON COLUMN forbund_year.total_assets_sek IS 'Summa tillgångar.';
COMMENT ON COLUMN forbund_year.contributions_state_sek IS 'Member money from the state (Försäkringskassan, Arbetsförmedlingen).';
COMMENT ON COLUMN forbund_year.contributions_region_sek IS 'Member money from the region.';
COMMENT ON COLUMN forbund_year.contributions_municipality_sek IS 'Member money from the municipalities.';
COMMENT ON COLUMN forbund_year.contributions_eu_sek IS 'EU funds (ESF).';
COMMENT ON COLUMN forbund_year.contributions_other_sek IS 'Other revenue listed with the contributions.';
COMMENT ON COLUMN forbund_year.equity_to_contributions_pct IS 'equity / (state + region + municipality contributions) × 100; the national recommendation is at most 20 %.';
COMMENT ON COLUMN forbund_year.participants_total IS 'Participants summed over the year''s interventions, where stated.';
COMMENT ON COLUMN forbund_year.participants_women IS 'Of whom women, where stated.';
COMMENT ON COLUMN forbund_year.participants_men IS 'Of whom men, where stated.';
COMMENT ON COLUMN forbund_year.warnings IS 'Failed warning checks on the source document.';
COMMENT ON COLUMN national_year.fiscal_year IS 'The year.';
COMMENT ON COLUMN national_year.forbunds_reporting IS 'Förbund with a row in forbund_year for the year: how many förbund the sums cover.';
COMMENT ON COLUMN national_year.forbunds_registered_reporting IS 'Of forbunds_reporting, those in the registry (forbund).';
COMMENT ON COLUMN national_year.forbunds_registered IS 'Registry förbund that existed in the year (valid_from / valid_to); forbunds_registered_reporting / forbunds_registered is the coverage.';
COMMENT ON COLUMN national_year.median_equity_to_contributions_pct IS 'Median of equity_to_contributions_pct over the reporting förbund.';
COMMENT ON COLUMN national_year.forbunds_over_20_pct IS 'Förbund whose equity exceeds 20 % of member contributions.';
