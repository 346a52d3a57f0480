"""What researchers run against the published warehouse: safe queries, exports and the HTML report."""
