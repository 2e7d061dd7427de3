"""Extraction: corpus -> normalized text -> mentions -> entities -> relations and funding rounds,
as plain records (``records``).  Imports from ``kg.graph`` only its vocabulary and name keys."""
