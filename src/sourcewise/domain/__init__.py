"""The sourcing domain: immutable records and pure functions. Imports nothing outside itself
except numpy for cost arrays."""
