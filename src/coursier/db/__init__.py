"""Tables, session and migrations. Importing `coursier.db.tables` registers every table on `Base.metadata`."""
