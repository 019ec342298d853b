"""Skills agents carry, for skill-based assignment: services, the API and the settings pages."""
