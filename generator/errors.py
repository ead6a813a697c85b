"""The generator's exceptions: the CLI prints these as one line and exits non-zero."""


class GeneratorError(Exception):
    """Base of every error a person can act on (bad config, unreadable input, clashing outputs)."""


class ConfigError(GeneratorError):
    """`mkdocs.yml`, the manifest or the topic file is missing, unreadable or invalid."""


class InputError(GeneratorError):
    """A dump or the dumps folder cannot be read at all."""


class PlanError(GeneratorError):
    """The site plan is inconsistent: two outputs on one path."""


class BusyError(GeneratorError):
    """Another run is writing the same `docs/`."""
