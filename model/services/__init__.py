"""The city's services: one module per sector, the base classes, the starting calibration and the orchestrator.

* ``base``: :class:`Service` (capacity, queue, one allocation rule), :class:`Entitlement` (eligibility and
  take-up) and :class:`ServiceSet` (the services of a run);
* ``schools``, ``health``, ``community``, ``housing``, ``training``, ``assistance``, ``social_security``: the
  services of each sector;
* ``costs``: unit costs with their sources; ``calibration``: the starting state from the city file's
  ``[services]`` section; ``city``: :class:`CityServices`, the catalogue a model runs.
"""

from urbanize.model.services.base import AllRows, Entitlement, Service, ServiceSet, all_rows, take
from urbanize.model.services.city import ACCESS_SERVICES, CAPACITY_SERVICES, INDEX_SERVICES, CityServices

__all__ = [
    "ACCESS_SERVICES",
    "CAPACITY_SERVICES",
    "INDEX_SERVICES",
    "AllRows",
    "CityServices",
    "Entitlement",
    "Service",
    "ServiceSet",
    "all_rows",
    "take",
]
