"""Adapters: files, packaged data and (later) databases, translated to and from the domain."""
