"""Who may do what: users and roles, password hashing, API and session tokens. Pure records and
functions plus argon2; the store keeps only hashes."""
