"""Background work on procrastinate: jobs are rows in our PostgreSQL."""
