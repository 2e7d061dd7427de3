"""The saved queries double as the package ``kg.queries`` (see ``[tool.setuptools.package-dir]``
in pyproject.toml): edit them here; a wheel carries them as package data."""
