"""The web application and REST API: ``create_app(settings)`` builds it; pages are server-rendered
Jinja2 with HTMX, charts are Plotly.js served from the package, the API lives under /api/v1."""

# Registers the {name:segment} route convertor before any route module compiles its paths.
import sourcewise.web.path_segments  # noqa: F401
