"""The ontology folder doubles as the package ``kg.ontology`` (see ``[tool.setuptools.package-dir]``
in pyproject.toml): this top-level folder is the one copy users edit, and a wheel carries it as
package data, so ``kg`` finds its vocabulary, shapes and KB from any working directory."""
