"""Screens of the peer-support program, split by concept."""
