"""The sandbox's HTTP endpoints, one module per domain; thin: they call the domain modules."""
