"""The steps of a load (read, parse, validate, load) and the worker processes that run them."""
