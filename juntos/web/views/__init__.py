"""One module per area: parse the request, call the area's functions, render a template."""
