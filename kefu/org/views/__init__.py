"""Console pages of the organisation: sign-in, profile, the start page, API keys and the settings pages."""
