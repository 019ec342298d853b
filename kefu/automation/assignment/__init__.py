"""Assignment rules: services, the engine that hands tickets out, the API and the settings pages."""
