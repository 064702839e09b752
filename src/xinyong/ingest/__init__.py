"""Collection: department files and API records become validated records, batch by batch."""
