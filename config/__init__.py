"""Settings read from the environment and .env: the only place that does so."""
