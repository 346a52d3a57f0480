"""Column names and types of every table a report's rows go into (the warehouse contract)."""

import polars as pl

FACT_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "statement": pl.String,
    "line_code": pl.String,
    "label": pl.String,
    "amount_sek": pl.Int64,
    "note_no": pl.Int32,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}
DOCUMENT_SCHEMA = {
    "document_id": pl.String,
    "source_file": pl.String,
    "sha256": pl.String,
    "forbund_id": pl.String,
    "forbund_name": pl.String,
    "document_type": pl.String,
    "fiscal_year": pl.Int32,
    "decided_on": pl.Date,
    "status": pl.String,
    "status_reason": pl.String,
    "page_count": pl.Int32,
    "line_count": pl.Int32,
    "encoding": pl.String,
}
NOTE_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "note_no": pl.Int32,
    "note_title": pl.String,
    "label": pl.String,
    "amount_sek": pl.Int64,
    "is_total": pl.Boolean,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}

KEY_FIGURE_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "metric": pl.String,
    "label": pl.String,
    "value": pl.Float64,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}
CONTRIBUTION_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "contributor": pl.String,
    "contributor_type": pl.String,
    "kommun_code": pl.String,
    "amount_sek": pl.Int64,
    "note_no": pl.Int32,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}

BOARD_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "name": pl.String,
    "role": pl.String,
    "appointed_by": pl.String,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}

BUDGET_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "section": pl.String,
    "label": pl.String,
    "measure": pl.String,
    "amount_sek": pl.Int64,
    "is_total": pl.Boolean,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}

INTERVENTION_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "name": pl.String,
    "kind": pl.String,
    "participants_total": pl.Int32,
    "participants_women": pl.Int32,
    "participants_men": pl.Int32,
    "budget_sek": pl.Int64,
    "cost_sek": pl.Int64,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}
OUTCOME_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "intervention": pl.String,
    "outcome": pl.String,
    "persons": pl.Int32,
    "women": pl.Int32,
    "men": pl.Int32,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}

INDICATOR_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "indicator_no": pl.Int32,
    "respondent_group": pl.String,
    "question": pl.String,
    "answer": pl.String,
    "share_pct": pl.Float64,
    "national_share_pct": pl.Float64,
    "sex": pl.String,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}
GOAL_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "goal": pl.String,
    "target": pl.String,
    "outcome": pl.String,
    "assessment": pl.String,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}

# Tables filled per document, in load order; `quality_results` is added by validation.
TABLE_SCHEMAS = {
    "financial_facts": FACT_SCHEMA,
    "note_lines": NOTE_SCHEMA,
    "key_figures": KEY_FIGURE_SCHEMA,
    "member_contributions": CONTRIBUTION_SCHEMA,
    "board_members": BOARD_SCHEMA,
    "budget_lines": BUDGET_SCHEMA,
    "interventions": INTERVENTION_SCHEMA,
    "intervention_outcomes": OUTCOME_SCHEMA,
    "indicator_results": INDICATOR_SCHEMA,
    "goals": GOAL_SCHEMA,
}
