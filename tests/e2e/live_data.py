"""What the live server holds: users, their password, the engagements."""

PASSWORD = "correct horse battery"
ENGAGEMENT = "Customer service Monterrey"
PROVIDER = "Monterrey bilingual BPO"
OTHER_PROVIDER = "Other BPO"
OTHER_ENGAGEMENT = "Back office Pune"
