"""Citizens: accounts, profiles, roles, and their own data."""
