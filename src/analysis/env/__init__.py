"""The project's environment: `.venv` set-up and the pinned lock files."""
