"""What the live server holds: users, their password, the engagements, a saved scenario."""

PASSWORD = "correct horse battery"
ENGAGEMENT = "Customer service Monterrey"
PROVIDER = "Monterrey bilingual BPO"
OTHER_PROVIDER = "Other BPO"
OTHER_ENGAGEMENT = "Back office Pune"
SAVED_SCENARIO = "US customer service"
"""examples/us-customer-service.yaml saved as version 1 (the engagement's business case)."""
