"""Query functions, one module per aggregate; each takes a Connection and never commits."""
