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

-- A statement fact no arithmetic of its own report confirms is confirmed by the förbund's own report of the
-- adjacent year where both print it alike: the later report's prior-year column and the earlier report's own
-- year (confirmed_by = 'prior_report', on both). Recomputed over the whole warehouse, since a new report can
-- confirm an old one and a superseded report confirms nothing.
UPDATE financial_facts SET confirmed_by = NULL WHERE confirmed_by = 'prior_report';
UPDATE financial_facts SET confirmed_by = 'prior_report'
WHERE confirmed_by IS NULL AND line_code <> 'other' AND EXISTS (
    SELECT 1
    FROM documents AS own
    JOIN documents AS other
        ON other.forbund_id = own.forbund_id AND other.document_id <> own.document_id
       AND other.document_type = 'arsredovisning' AND other.status = 'loaded'
    JOIN financial_facts AS twin
        ON twin.document_id = other.document_id AND twin.fiscal_year = financial_facts.fiscal_year
       AND twin.statement = financial_facts.statement AND twin.line_code = financial_facts.line_code
       AND twin.amount_sek = financial_facts.amount_sek
    WHERE own.document_id = financial_facts.document_id
      AND own.document_type = 'arsredovisning' AND own.status = 'loaded'
      AND abs(own.fiscal_year - other.fiscal_year) = 1
      AND (own.fiscal_year = financial_facts.fiscal_year) <> (other.fiscal_year = financial_facts.fiscal_year)
);

-- Two loaded reports of the same type and year that may be one report twice: never superseded on such weak
-- evidence, both stay loaded and each is flagged with the other's document_id and file. Weak evidence is
--   the same forbund_id under another own name, or the same own name under another forbund_id, or, where at
--   least one of the two förbund is outside the registry: names equal but for case, accents and spacing, a
--   name equal to one of the other's registry names or aliases, or ids one letter apart (ids of 5+ letters).
-- Two registered förbund with different ids are different förbund, however alike their names.
-- Two loaded reports with the same förbund id and name are flagged too: the loader left both loaded because the
--   förbund of at least one rests on weak evidence (its forbund_uncertain warning), so neither replaced the other.
DELETE FROM quality_results WHERE check_name = 'possible_duplicate_report';
INSERT INTO quality_results
    (document_id, check_name, severity, passed, observed, expected, message, fiscal_year, source_line, checked_at)
WITH loaded AS (
    SELECT d.document_id, d.source_file, d.forbund_id, d.forbund_name, d.document_type, d.fiscal_year,
           r.forbund_id IS NOT NULL AS registered,
           lower(strip_accents(regexp_replace(trim(d.forbund_name), '\s+', ' ', 'g'))) AS folded_name,
           list_transform(
               list_filter(list_concat([r.forbund_name], string_split(coalesce(r.aliases, ''), ';')),
                           lambda n: trim(coalesce(n, '')) <> ''),
               lambda n: lower(strip_accents(regexp_replace(trim(n), '\s+', ' ', 'g')))) AS registry_names
    FROM documents AS d
    LEFT JOIN forbund AS r ON r.forbund_id = d.forbund_id
    WHERE d.status = 'loaded' AND d.forbund_id IS NOT NULL AND d.document_type IS NOT NULL
      AND d.fiscal_year IS NOT NULL
),
pairs AS (
    SELECT a.*, b.document_id AS other_id, b.source_file AS other_file, b.forbund_id AS other_forbund_id,
           b.forbund_name AS other_forbund_name,
           CASE
               WHEN a.forbund_id = b.forbund_id AND a.forbund_name = b.forbund_name
                   THEN 'the same förbund, but at least one of the two names it only on weak evidence'
               WHEN a.forbund_id = b.forbund_id THEN 'the same förbund id under another name'
               WHEN a.forbund_name = b.forbund_name THEN 'the same förbund name under another id'
               WHEN a.folded_name = b.folded_name THEN 'the same förbund name but for case, accents or spacing'
               WHEN list_contains(b.registry_names, a.folded_name) OR list_contains(a.registry_names, b.folded_name)
                   THEN 'one förbund''s name is a registry name of the other'
               ELSE 'förbund ids one letter apart, at least one outside the registry'
           END AS resemblance
    FROM loaded AS a
    JOIN loaded AS b
        ON b.document_type = a.document_type AND b.fiscal_year = a.fiscal_year AND b.document_id <> a.document_id
    WHERE a.forbund_id = b.forbund_id
       OR (a.forbund_id <> b.forbund_id AND a.forbund_name = b.forbund_name)
       OR (a.forbund_id <> b.forbund_id AND NOT (a.registered AND b.registered)
           AND (a.folded_name = b.folded_name
                OR list_contains(b.registry_names, a.folded_name)
                OR list_contains(a.registry_names, b.folded_name)
                OR (least(length(a.forbund_id), length(b.forbund_id)) >= 5
                    AND levenshtein(a.forbund_id, b.forbund_id) <= 1)))
)
SELECT
    document_id,
    'possible_duplicate_report',
    'warning',
    false,
    other_id,
    'no other loaded ' || document_type || ' ' || fiscal_year || ' of this förbund',
    format('possibly the same {} {} as document {} (''{}'', {} / {}): {}; both stay loaded, check which is right',
           document_type, fiscal_year, other_id, other_file, other_forbund_id, other_forbund_name, resemblance),
    fiscal_year,
    NULL,
    CURRENT_TIMESTAMP::TIMESTAMP
FROM pairs;

-- Every other loaded document was compared too and resembles no other: a pass, so the check is never empty.
INSERT INTO quality_results
    (document_id, check_name, severity, passed, observed, expected, message, fiscal_year, source_line, checked_at)
SELECT d.document_id, 'possible_duplicate_report', 'warning', true, NULL, NULL,
       'no other loaded ' || d.document_type || ' ' || d.fiscal_year || ' resembles this one',
       d.fiscal_year, NULL, CURRENT_TIMESTAMP::TIMESTAMP
FROM documents AS d
WHERE d.status = 'loaded' AND d.document_id NOT IN (
    SELECT document_id FROM quality_results WHERE check_name = 'possible_duplicate_report'
);
