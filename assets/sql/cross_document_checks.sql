-- Checks across documents, recomputed inside every load transaction.
-- A prior-year column must equal the same förbund's own annual report for that year, when both are loaded.
DELETE FROM quality_results WHERE check_name = 'prior_year_matches_own_report';
INSERT INTO quality_results
    (document_id, check_name, severity, passed, observed, expected, message, fiscal_year, source_line, checked_at)
SELECT
    a.document_id,
    'prior_year_matches_own_report',
    'warning',
    fa.amount_sek = fb.amount_sek,
    CAST(fa.amount_sek AS VARCHAR),
    CAST(fb.amount_sek AS VARCHAR),
    format('{}: {} {} printed as prior year: {} against {} in the {} report ({})',
           fa.fiscal_year, fa.statement, fa.line_code, fa.amount_sek, fb.amount_sek, b.fiscal_year, b.source_file),
    fa.fiscal_year,
    fa.source_line,
    CURRENT_TIMESTAMP::TIMESTAMP
FROM documents AS a
JOIN financial_facts AS fa
    ON fa.document_id = a.document_id AND fa.fiscal_year = a.fiscal_year - 1
JOIN documents AS b
    ON b.forbund_id = a.forbund_id AND b.fiscal_year = a.fiscal_year - 1
   AND b.document_type = 'arsredovisning' AND b.status = 'loaded' AND b.document_id <> a.document_id
JOIN financial_facts AS fb
    ON fb.document_id = b.document_id AND fb.fiscal_year = fa.fiscal_year
   AND fb.statement = fa.statement AND fb.line_code = fa.line_code
WHERE a.status = 'loaded' AND a.document_type = 'arsredovisning' AND fa.line_code <> 'other';
