"""Errors a user can cause with bad input.

Each carries a one-line message that names the problem and the fix; the command line prints it and exits
with code 2 instead of showing a traceback.
"""


class UrbanizeError(ValueError):
    """Base class of every input error the model reports to users."""


class UnknownCityError(UrbanizeError):
    """A city name that is not one of the shipped city profiles."""


class CityFileError(UrbanizeError):
    """A city data file that is malformed (bad TOML, a missing section, a share out of range)."""


class UnknownPolicyError(UrbanizeError):
    """A policy or package name that is not registered."""


class ParameterError(UrbanizeError):
    """A parameter that is unknown, of the wrong type or outside its valid range."""
