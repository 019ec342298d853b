"""Console pages of the tickets app: one module per page, each serving the full page and its HTMX partials."""
