"""Orchestration: Prefect flows over the models and the renderer."""
