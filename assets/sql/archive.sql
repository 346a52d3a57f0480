-- Superseded versions are never deleted: their rows move from the tables in main to the same-named
-- tables in the schema archive (same columns; column comments are copied from main on every load by
-- finsam_pipeline.warehouse.create_schema, and columns main gains later are added here too).
-- The tables in main, the views and the national figures hold loaded documents only.
CREATE SCHEMA IF NOT EXISTS archive;
CREATE TABLE IF NOT EXISTS archive.financial_facts AS FROM main.financial_facts LIMIT 0;
CREATE TABLE IF NOT EXISTS archive.note_lines AS FROM main.note_lines LIMIT 0;
CREATE TABLE IF NOT EXISTS archive.key_figures AS FROM main.key_figures LIMIT 0;
CREATE TABLE IF NOT EXISTS archive.member_contributions AS FROM main.member_contributions LIMIT 0;
CREATE TABLE IF NOT EXISTS archive.board_members AS FROM main.board_members LIMIT 0;
CREATE TABLE IF NOT EXISTS archive.budget_lines AS FROM main.budget_lines LIMIT 0;
CREATE TABLE IF NOT EXISTS archive.interventions AS FROM main.interventions LIMIT 0;
CREATE TABLE IF NOT EXISTS archive.intervention_outcomes AS FROM main.intervention_outcomes LIMIT 0;
CREATE TABLE IF NOT EXISTS archive.indicator_results AS FROM main.indicator_results LIMIT 0;
CREATE TABLE IF NOT EXISTS archive.goals AS FROM main.goals LIMIT 0;

COMMENT ON TABLE archive.financial_facts IS 'financial_facts rows of superseded documents (documents.status = superseded), kept with the same columns; query by document_id.';
COMMENT ON TABLE archive.note_lines IS 'note_lines rows of superseded documents, kept with the same columns; query by document_id.';
COMMENT ON TABLE archive.key_figures IS 'key_figures rows of superseded documents, kept with the same columns; query by document_id.';
COMMENT ON TABLE archive.member_contributions IS 'member_contributions rows of superseded documents, kept with the same columns; query by document_id.';
COMMENT ON TABLE archive.board_members IS 'board_members rows of superseded documents, kept with the same columns; query by document_id.';
COMMENT ON TABLE archive.budget_lines IS 'budget_lines rows of superseded documents, kept with the same columns; query by document_id.';
COMMENT ON TABLE archive.interventions IS 'interventions rows of superseded documents, kept with the same columns; query by document_id.';
COMMENT ON TABLE archive.intervention_outcomes IS 'intervention_outcomes rows of superseded documents, kept with the same columns; query by document_id.';
COMMENT ON TABLE archive.indicator_results IS 'indicator_results rows of superseded documents, kept with the same columns; query by document_id.';
COMMENT ON TABLE archive.goals IS 'goals rows of superseded documents, kept with the same columns; query by document_id.';
