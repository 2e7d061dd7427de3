"""The base of every error a user can cause or fix (bad input, a missing model, a server).

It lives apart from the stages so that the CLI can catch all of them without importing spaCy,
the NER models or the Neo4j driver: each stage's error subclasses it where it is raised."""


class UserError(Exception):
    """Reported as one line naming the file, model or server, exit code 2."""
