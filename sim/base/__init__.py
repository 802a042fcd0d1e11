"""Tools every layer may use and that know nothing of the model: atomic file writes, claims
on folders, who owns a file, one-line command errors."""
