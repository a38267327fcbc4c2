"""The web kubectl console: policy (what may run), runner (how it runs), services (log + activity)."""
