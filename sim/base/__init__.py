"""Tools every layer may use and that know nothing of the model (atomic file writes)."""
