"""Reading inputs, storing results in SQLite, and exporting them."""
