"""Test corpora: reports written for the tests (the dialect corpus and its scorer) and a fixture website."""
