"""chidao's command line: the coordinator's entry point (Vietnamese output)."""
