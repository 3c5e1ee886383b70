"""The PPF's public directory API (PPF-DIR 1.11.0) as the sandbox serves it: `api` the app and its
routes, `schemas` the published bodies, `lines`, `units`, `routing_codes` the resources, `search`
what their searches share, `errors` the published error document."""
