-- Researcher views (shared/contract/WAREHOUSE.md). Recreated on every load.
-- One row per förbund and fiscal year, read from the document of that year, else from the newest
-- document that reports the year (its prior-year column).
CREATE OR REPLACE VIEW forbund_year AS
WITH candidates AS (
    SELECT DISTINCT f.forbund_id, f.fiscal_year, f.document_id, d.fiscal_year AS document_year
    FROM financial_facts AS f
    JOIN documents AS d USING (document_id)
    WHERE d.status = 'loaded' AND d.document_type = 'arsredovisning'
),
chosen AS (
    SELECT forbund_id, fiscal_year,
           arg_max(document_id, (document_year = fiscal_year)::INTEGER * 10000 + document_year) AS source_document_id
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

COMMENT ON VIEW forbund_year IS 'One row per förbund and fiscal year, from the document of that year, else the newest document that reports the year.';

-- The same money summed over all förbund, per fiscal year.
CREATE OR REPLACE VIEW national_year AS
SELECT
    fiscal_year,
    count(*)::INTEGER AS forbunds_reporting,
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
FROM forbund_year
GROUP BY fiscal_year;

COMMENT ON VIEW national_year IS 'One row per fiscal year: money summed over all förbund, the median equity-to-contributions percentage and how many förbund exceed the 20 % recommendation.';

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
COMMENT ON COLUMN national_year.forbunds_reporting IS 'Förbund with a row in forbund_year for the year.';
COMMENT ON COLUMN national_year.median_equity_to_contributions_pct IS 'Median of equity_to_contributions_pct over the reporting förbund.';
COMMENT ON COLUMN national_year.forbunds_over_20_pct IS 'Förbund whose equity exceeds 20 % of member contributions.';
