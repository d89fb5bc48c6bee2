"""The runner behind `make report`: plan, staleness, staging, execution, pages, PDF."""
