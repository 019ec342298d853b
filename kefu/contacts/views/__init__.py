"""Console pages of the contacts app: one module per page group, each serving the full page and its
HTMX partials."""
