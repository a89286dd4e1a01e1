"""Pytest fixtures shared across apps: a real ASGI server with its task worker, and a real browser."""
