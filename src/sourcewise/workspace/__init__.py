"""The decision workspace: saved scenarios with immutable versions, decision runs kept as
records, their approval, the approved case an engagement is governed against, and the jobs
that compute runs. Pure records and rules; storage and services build on them."""
