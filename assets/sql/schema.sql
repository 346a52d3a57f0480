-- The warehouse contract (shared/contract/WAREHOUSE.md). Tables may gain columns; listed ones keep their meaning.

CREATE TABLE IF NOT EXISTS documents (
    document_id   VARCHAR PRIMARY KEY,
    source_file   VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    forbund_id    VARCHAR,
    forbund_name  VARCHAR,
    document_type VARCHAR,
    fiscal_year   INTEGER,
    decided_on    DATE,
    status        VARCHAR NOT NULL,
    status_reason VARCHAR,
    page_count    INTEGER,
    line_count    INTEGER,
    encoding      VARCHAR,
    loaded_at     TIMESTAMP
);
COMMENT ON TABLE documents IS 'One row per ingested file: which förbund, which kind of report, which year, and whether it loaded.';
COMMENT ON COLUMN documents.document_id IS 'Stable id derived from the content hash (first 16 hex digits of sha256).';
COMMENT ON COLUMN documents.source_file IS 'File name as received.';
COMMENT ON COLUMN documents.sha256 IS 'SHA-256 of the file content.';
COMMENT ON COLUMN documents.forbund_id IS 'The förbund''s ASCII slug, e.g. vasterbergslagen.';
COMMENT ON COLUMN documents.forbund_name IS 'Official name with Swedish letters restored where the source lost them.';
COMMENT ON COLUMN documents.document_type IS 'arsredovisning, verksamhetsplan, delarsrapport or okand.';
COMMENT ON COLUMN documents.fiscal_year IS 'The year reported on; for a plan the first plan year.';
COMMENT ON COLUMN documents.decided_on IS 'Date the board adopted the document, where stated.';
COMMENT ON COLUMN documents.status IS 'loaded, quarantined, duplicate or superseded (a newer version of the same förbund, type and year is loaded; this version''s rows are in the archive schema).';
COMMENT ON COLUMN documents.status_reason IS 'Why, in plain words, for every status but loaded.';
COMMENT ON COLUMN documents.page_count IS 'PDF pages; NULL for plain text.';
COMMENT ON COLUMN documents.line_count IS 'Lines of extracted text.';
COMMENT ON COLUMN documents.encoding IS 'How the bytes were decoded (utf-8, utf-16, cp1252, pdf).';
COMMENT ON COLUMN documents.loaded_at IS 'When this version was written to the warehouse (UTC).';
-- How a PDF's pages were read (added to warehouses made before: ADD COLUMN IF NOT EXISTS).
ALTER TABLE documents ADD COLUMN IF NOT EXISTS pages_ocr INTEGER;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS ocr_mean_confidence DOUBLE;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS page_reading VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS forbund_in_registry BOOLEAN;
COMMENT ON COLUMN documents.forbund_in_registry IS 'Whether the förbund is in the registry (assets/reference/forbund.csv); false for a förbund known only by the name its report prints, whose forbund_id is derived from that name.';
COMMENT ON COLUMN documents.pages_ocr IS 'PDF pages read by OCR (Tesseract, Swedish model) because they had no usable text layer; 0 for a PDF read wholly from its text layer, NULL for plain text.';
COMMENT ON COLUMN documents.ocr_mean_confidence IS 'Mean confidence (0–100) Tesseract gave the words of the OCR''d pages; NULL where no page was OCR''d.';
COMMENT ON COLUMN documents.page_reading IS 'How each page was read, in runs: text (its text layer), ocr, or none (no usable text layer and OCR could not run), e.g. 1-3:text,4:ocr,5-12:text; NULL for plain text.';
-- Where a fetched file came from (`finsam fetch`; added to warehouses made before: ADD COLUMN IF NOT EXISTS).
ALTER TABLE documents ADD COLUMN IF NOT EXISTS source_url VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS fetched_at TIMESTAMP;
COMMENT ON COLUMN documents.source_url IS 'The address the file was downloaded from by finsam fetch (after redirects), as its state file in the raw folder records it; NULL for a file that was not fetched (dropped into the raw folder by hand).';
COMMENT ON COLUMN documents.fetched_at IS 'When finsam fetch downloaded the file (UTC); NULL for a file that was not fetched.';

CREATE TABLE IF NOT EXISTS financial_facts (
    document_id  VARCHAR NOT NULL,
    forbund_id   VARCHAR NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    statement    VARCHAR NOT NULL,
    line_code    VARCHAR NOT NULL,
    label        VARCHAR NOT NULL,
    amount_sek   BIGINT NOT NULL,
    note_no      INTEGER,
    source_page  INTEGER,
    source_line  INTEGER NOT NULL
);
COMMENT ON TABLE financial_facts IS 'Income statement, balance sheet and cash flow, line by line, current and prior year.';
COMMENT ON COLUMN financial_facts.document_id IS 'The document the value was read from.';
COMMENT ON COLUMN financial_facts.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN financial_facts.fiscal_year IS 'The year the value belongs to: a prior-year column gives the prior year.';
COMMENT ON COLUMN financial_facts.statement IS 'income (resultaträkning), balance (balansräkning) or cash_flow (kassaflödesanalys).';
COMMENT ON COLUMN financial_facts.line_code IS 'Canonical code from assets/reference/line_codes.csv; other where none fits.';
COMMENT ON COLUMN financial_facts.label IS 'The line''s label as written in the report.';
COMMENT ON COLUMN financial_facts.amount_sek IS 'Whole kronor; costs negative whatever the report prints, results keep their sign, tkr scaled.';
COMMENT ON COLUMN financial_facts.note_no IS 'The note the line refers to, where printed.';
COMMENT ON COLUMN financial_facts.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN financial_facts.source_line IS '1-based line in the extracted text.';
ALTER TABLE financial_facts ADD COLUMN IF NOT EXISTS confirmed_by VARCHAR;
COMMENT ON COLUMN financial_facts.confirmed_by IS 'How the report''s own arithmetic reproduces the value: sum (a total and the lines right above it), identity (revenue + costs = operating result, assets = equity + liabilities, cash at start + cash flow = cash at end, …), other_statement (the same number in another statement), prior_report (no arithmetic of its own report confirms it, but the förbund''s own annual report of the adjacent year prints it alike: the later report''s prior-year column and the earlier report''s own year; recomputed at every load); NULL where nothing does (flagged unconfirmed_facts).';

CREATE TABLE IF NOT EXISTS note_lines (
    document_id  VARCHAR NOT NULL,
    forbund_id   VARCHAR NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    note_no      INTEGER NOT NULL,
    note_title   VARCHAR,
    label        VARCHAR NOT NULL,
    amount_sek   BIGINT NOT NULL,
    is_total     BOOLEAN NOT NULL,
    source_page  INTEGER,
    source_line  INTEGER NOT NULL
);
COMMENT ON TABLE note_lines IS 'Lines of the notes (Noter) to the statements, as printed (amounts unsigned as in the note).';
COMMENT ON COLUMN note_lines.document_id IS 'The document the value was read from.';
COMMENT ON COLUMN note_lines.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN note_lines.fiscal_year IS 'The year the value belongs to.';
COMMENT ON COLUMN note_lines.note_no IS 'The note number (Not 2 → 2).';
COMMENT ON COLUMN note_lines.note_title IS 'The note''s heading as written.';
COMMENT ON COLUMN note_lines.label IS 'The line''s label as written.';
COMMENT ON COLUMN note_lines.amount_sek IS 'Whole kronor as printed in the note, tkr scaled.';
COMMENT ON COLUMN note_lines.is_total IS 'A Summa/Totalt line.';
COMMENT ON COLUMN note_lines.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN note_lines.source_line IS '1-based line in the extracted text.';

CREATE TABLE IF NOT EXISTS quality_results (
    document_id  VARCHAR,
    check_name   VARCHAR NOT NULL,
    severity     VARCHAR NOT NULL,
    passed       BOOLEAN,
    observed     VARCHAR,
    expected     VARCHAR,
    message      VARCHAR NOT NULL,
    fiscal_year  INTEGER,
    source_line  INTEGER,
    checked_at   TIMESTAMP
);
-- passed is NULL for a check that had nothing to evaluate (warehouses made before allowed no NULL).
ALTER TABLE quality_results ALTER COLUMN passed DROP NOT NULL;
COMMENT ON TABLE quality_results IS 'Every data-quality check evaluated on the loaded version of each document.';
COMMENT ON COLUMN quality_results.document_id IS 'The document checked; NULL for cross-document checks.';
COMMENT ON COLUMN quality_results.check_name IS 'Which check (see README: data quality).';
COMMENT ON COLUMN quality_results.severity IS 'error (blocks loading the document) or warning (loaded, flagged).';
COMMENT ON COLUMN quality_results.passed IS 'Whether the check held; NULL where it had nothing to evaluate (skipped).';
COMMENT ON COLUMN quality_results.observed IS 'What was found.';
COMMENT ON COLUMN quality_results.expected IS 'What the check expected.';
COMMENT ON COLUMN quality_results.message IS 'Plain words.';
COMMENT ON COLUMN quality_results.fiscal_year IS 'The year the check concerns, where it concerns one.';
COMMENT ON COLUMN quality_results.source_line IS 'The line of the extracted text the check points at, where one.';
COMMENT ON COLUMN quality_results.checked_at IS 'When the check ran (UTC).';

CREATE TABLE IF NOT EXISTS key_figures (
    document_id  VARCHAR NOT NULL,
    forbund_id   VARCHAR NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    metric       VARCHAR NOT NULL,
    label        VARCHAR,
    value        DOUBLE NOT NULL,
    source_page  INTEGER,
    source_line  INTEGER NOT NULL
);
COMMENT ON TABLE key_figures IS 'The multi-year overview (1.1 Översikt över verksamhetens utveckling), four or five years per report.';
COMMENT ON COLUMN key_figures.document_id IS 'The document the value was read from.';
COMMENT ON COLUMN key_figures.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN key_figures.fiscal_year IS 'The year of the column the value was printed under.';
COMMENT ON COLUMN key_figures.metric IS 'revenue, costs, net_result, equity_ratio_pct (soliditet) or employees.';
COMMENT ON COLUMN key_figures.label IS 'The row label as written.';
COMMENT ON COLUMN key_figures.value IS 'SEK for money (tkr scaled, costs negative), percent for equity_ratio_pct, a count for employees.';
COMMENT ON COLUMN key_figures.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN key_figures.source_line IS '1-based line in the extracted text.';

CREATE TABLE IF NOT EXISTS member_contributions (
    document_id      VARCHAR NOT NULL,
    forbund_id       VARCHAR NOT NULL,
    fiscal_year      INTEGER NOT NULL,
    contributor      VARCHAR NOT NULL,
    contributor_type VARCHAR NOT NULL,
    kommun_code      VARCHAR,
    amount_sek       BIGINT NOT NULL,
    note_no          INTEGER,
    source_page      INTEGER,
    source_line      INTEGER NOT NULL
);
COMMENT ON TABLE member_contributions IS 'Who paid what, one row per contributor and year, from the revenue note.';
COMMENT ON COLUMN member_contributions.document_id IS 'The document the value was read from.';
COMMENT ON COLUMN member_contributions.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN member_contributions.fiscal_year IS 'The year of the payment.';
COMMENT ON COLUMN member_contributions.contributor IS 'As written, e.g. Driftbidrag från Hagfors kommun.';
COMMENT ON COLUMN member_contributions.contributor_type IS 'state, region, municipality, eu or other (assets/reference/contributor_types.csv).';
COMMENT ON COLUMN member_contributions.kommun_code IS 'Official 4-digit municipality code for a municipality, else NULL.';
COMMENT ON COLUMN member_contributions.amount_sek IS 'Whole kronor.';
COMMENT ON COLUMN member_contributions.note_no IS 'The note the line was read from.';
COMMENT ON COLUMN member_contributions.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN member_contributions.source_line IS '1-based line in the extracted text.';

CREATE TABLE IF NOT EXISTS board_members (
    document_id  VARCHAR NOT NULL,
    forbund_id   VARCHAR NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    role         VARCHAR NOT NULL,
    appointed_by VARCHAR,
    source_page  INTEGER,
    source_line  INTEGER NOT NULL
);
COMMENT ON TABLE board_members IS 'The board (styrelse) as the report lists it: names and roles only, no other personal data.';
COMMENT ON COLUMN board_members.document_id IS 'The document the row was read from.';
COMMENT ON COLUMN board_members.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN board_members.fiscal_year IS 'The year of the report.';
COMMENT ON COLUMN board_members.name IS 'As written.';
COMMENT ON COLUMN board_members.role IS 'ordforande, vice_ordforande, ledamot or ersattare.';
COMMENT ON COLUMN board_members.appointed_by IS 'The member organisation that appointed the person, where stated.';
COMMENT ON COLUMN board_members.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN board_members.source_line IS '1-based line in the extracted text.';

CREATE TABLE IF NOT EXISTS budget_lines (
    document_id  VARCHAR NOT NULL,
    forbund_id   VARCHAR NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    section      VARCHAR,
    label        VARCHAR,
    measure      VARCHAR NOT NULL,
    amount_sek   BIGINT NOT NULL,
    is_total     BOOLEAN NOT NULL,
    source_page  INTEGER,
    source_line  INTEGER NOT NULL
);
COMMENT ON TABLE budget_lines IS 'Budgets (verksamhetsplan och budget) and outcome-versus-budget tables (driftredovisning, tilläggsupplysningar).';
COMMENT ON COLUMN budget_lines.document_id IS 'The document the value was read from.';
COMMENT ON COLUMN budget_lines.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN budget_lines.fiscal_year IS 'The year of the column (a plan gives one row per plan year).';
COMMENT ON COLUMN budget_lines.section IS 'The heading the line sits under, e.g. Kostnader, Bidrag från huvudmännen.';
COMMENT ON COLUMN budget_lines.label IS 'As written.';
COMMENT ON COLUMN budget_lines.measure IS 'budget, outcome (utfall) or deviation (avvikelse).';
COMMENT ON COLUMN budget_lines.amount_sek IS 'Whole kronor, tkr scaled; costs negative, deviations and net results as printed.';
COMMENT ON COLUMN budget_lines.is_total IS 'A Summa/Totalt line.';
COMMENT ON COLUMN budget_lines.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN budget_lines.source_line IS '1-based line in the extracted text.';

CREATE TABLE IF NOT EXISTS interventions (
    document_id        VARCHAR NOT NULL,
    forbund_id         VARCHAR NOT NULL,
    fiscal_year        INTEGER NOT NULL,
    name               VARCHAR NOT NULL,
    kind               VARCHAR,
    participants_total INTEGER,
    participants_women INTEGER,
    participants_men   INTEGER,
    budget_sek         BIGINT,
    cost_sek           BIGINT,
    source_page        INTEGER,
    source_line        INTEGER NOT NULL
);
COMMENT ON TABLE interventions IS 'The financed insatser with participants, budget and cost where the report states them.';
COMMENT ON COLUMN interventions.document_id IS 'The document the row was read from.';
COMMENT ON COLUMN interventions.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN interventions.fiscal_year IS 'The year of the report.';
COMMENT ON COLUMN interventions.name IS 'As written.';
COMMENT ON COLUMN interventions.kind IS 'individual (individinriktad), structural (strukturövergripande), NULL if not stated.';
COMMENT ON COLUMN interventions.participants_total IS 'Participants during the year, where stated.';
COMMENT ON COLUMN interventions.participants_women IS 'Of whom women, where stated.';
COMMENT ON COLUMN interventions.participants_men IS 'Of whom men, where stated.';
COMMENT ON COLUMN interventions.budget_sek IS 'Granted or budgeted money, where stated.';
COMMENT ON COLUMN interventions.cost_sek IS 'Money used, where stated.';
COMMENT ON COLUMN interventions.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN interventions.source_line IS '1-based line in the extracted text (the first source read).';

CREATE TABLE IF NOT EXISTS intervention_outcomes (
    document_id  VARCHAR NOT NULL,
    forbund_id   VARCHAR NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    intervention VARCHAR NOT NULL,
    outcome      VARCHAR NOT NULL,
    persons      INTEGER,
    women        INTEGER,
    men          INTEGER,
    source_page  INTEGER,
    source_line  INTEGER NOT NULL
);
COMMENT ON TABLE intervention_outcomes IS 'How participants left an intervention, where the report says.';
COMMENT ON COLUMN intervention_outcomes.document_id IS 'The document the row was read from.';
COMMENT ON COLUMN intervention_outcomes.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN intervention_outcomes.fiscal_year IS 'The year of the report.';
COMMENT ON COLUMN intervention_outcomes.intervention IS 'The intervention''s name as in interventions.';
COMMENT ON COLUMN intervention_outcomes.outcome IS 'avslutade, arbete, studier, arbetssokande, annan_arbetslivsinriktad_rehab, medicinsk_rehab, sjukersattning, annat, tidiga_avhopp.';
COMMENT ON COLUMN intervention_outcomes.persons IS 'Count where stated.';
COMMENT ON COLUMN intervention_outcomes.women IS 'Of whom women, where stated.';
COMMENT ON COLUMN intervention_outcomes.men IS 'Of whom men, where stated.';
COMMENT ON COLUMN intervention_outcomes.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN intervention_outcomes.source_line IS '1-based line in the extracted text.';

CREATE TABLE IF NOT EXISTS indicator_results (
    document_id        VARCHAR NOT NULL,
    forbund_id         VARCHAR NOT NULL,
    fiscal_year        INTEGER,
    indicator_no       INTEGER,
    respondent_group   VARCHAR,
    question           VARCHAR,
    answer             VARCHAR NOT NULL,
    share_pct          DOUBLE NOT NULL,
    national_share_pct DOUBLE,
    sex                VARCHAR,
    source_page        INTEGER,
    source_line        INTEGER NOT NULL
);
COMMENT ON TABLE indicator_results IS 'NNS indicator survey results: answer distributions, shares of clearly positive answers, national comparisons.';
COMMENT ON COLUMN indicator_results.document_id IS 'The document the row was read from.';
COMMENT ON COLUMN indicator_results.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN indicator_results.fiscal_year IS 'The survey year (a column or a `jfr 2023` comparison gives its own year).';
COMMENT ON COLUMN indicator_results.indicator_no IS 'NNS core indicator 1–16, as printed or matched from the question (assets/reference/nns_indicators.csv); NULL if neither.';
COMMENT ON COLUMN indicator_results.respondent_group IS 'deltagare_pagaende, deltagare_avslut, styrelse, beredningsgrupp, chefsgrupp, personal, remittent.';
COMMENT ON COLUMN indicator_results.question IS 'As written.';
COMMENT ON COLUMN indicator_results.answer IS 'An answer category (e.g. Helt och hållet), or klart_positiva for a share of clearly positive answers.';
COMMENT ON COLUMN indicator_results.share_pct IS 'The förbund''s share in percent.';
COMMENT ON COLUMN indicator_results.national_share_pct IS 'The national average where reported.';
COMMENT ON COLUMN indicator_results.sex IS 'total, women or men (extension: reports split national/own pairs by sex).';
COMMENT ON COLUMN indicator_results.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN indicator_results.source_line IS '1-based line in the extracted text.';

CREATE TABLE IF NOT EXISTS goals (
    document_id  VARCHAR NOT NULL,
    forbund_id   VARCHAR NOT NULL,
    fiscal_year  INTEGER,
    goal         VARCHAR NOT NULL,
    target       VARCHAR,
    outcome      VARCHAR,
    assessment   VARCHAR,
    source_page  INTEGER,
    source_line  INTEGER NOT NULL
);
COMMENT ON TABLE goals IS 'Goals and measures with the board''s assessment (måluppfyllelse).';
COMMENT ON COLUMN goals.document_id IS 'The document the row was read from.';
COMMENT ON COLUMN goals.forbund_id IS 'The förbund''s slug.';
COMMENT ON COLUMN goals.fiscal_year IS 'The year of the report.';
COMMENT ON COLUMN goals.goal IS 'The goal or measure as written, shortened to its first sentence.';
COMMENT ON COLUMN goals.target IS 'The target where stated, e.g. Minst 80 %.';
COMMENT ON COLUMN goals.outcome IS 'The reported result where stated, e.g. 85 %.';
COMMENT ON COLUMN goals.assessment IS 'uppfyllt, delvis_uppfyllt, ej_uppfyllt; NULL where not assessed.';
COMMENT ON COLUMN goals.source_page IS '1-based PDF page; NULL for plain text.';
COMMENT ON COLUMN goals.source_line IS '1-based line in the extracted text.';
