-- Reference tables, rebuilt from assets/reference/*.csv on every load. $REFERENCE_DIR is substituted.
CREATE OR REPLACE TABLE lan AS
SELECT lan_code, lan_name, CAST(kommun_count AS INTEGER) AS kommun_count
FROM read_csv('$REFERENCE_DIR/lan.csv', all_varchar = true, header = true);

CREATE OR REPLACE TABLE kommuner AS
SELECT kommun_code, kommun_name, lan_code, lan_name
FROM read_csv('$REFERENCE_DIR/kommuner.csv', all_varchar = true, header = true);

CREATE OR REPLACE TABLE forbund AS
SELECT forbund_id, forbund_name, lan_name, aliases, TRY_CAST(NULLIF(valid_from, '') AS DATE) AS valid_from,
       TRY_CAST(NULLIF(valid_to, '') AS DATE) AS valid_to, NULLIF(successor_id, '') AS successor_id,
       member_kommun_codes, member_regions, source, NULLIF(org_number, '') AS org_number, NULLIF(note, '') AS note
FROM read_csv('$REFERENCE_DIR/forbund.csv', all_varchar = true, header = true);

COMMENT ON TABLE kommuner IS 'Sweden''s 290 municipalities with official codes (SCB), from assets/reference/kommuner.csv.';
COMMENT ON TABLE lan IS 'Sweden''s 21 counties, from assets/reference/lan.csv.';
COMMENT ON TABLE forbund IS 'Registry of samordningsförbund with aliases, former names and validity, from assets/reference/forbund.csv.';
COMMENT ON COLUMN forbund.successor_id IS 'The förbund this one became (merger, renaming on widening); its predecessors are the rows whose successor_id is this forbund_id. Empty where there is none or more than one (see note).';
COMMENT ON COLUMN forbund.note IS 'How the förbund relates to others in the registry (predecessor, successor, renamed, split), which dates are bounds, and what no source settles (relation unknown).';

CREATE OR REPLACE TABLE forbund_members AS
SELECT forbund_id, kommun_code, TRY_CAST(NULLIF(valid_from, '') AS DATE) AS valid_from,
       TRY_CAST(NULLIF(valid_to, '') AS DATE) AS valid_to, NULLIF(note, '') AS note
FROM read_csv('$REFERENCE_DIR/forbund_members.csv', all_varchar = true, header = true);
COMMENT ON TABLE forbund_members IS 'Member municipalities per förbund with validity periods (mergers, growth), from assets/reference/forbund_members.csv.';
