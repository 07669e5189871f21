# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the Air modules do that is no ensure of one resource: the info module's read of
simulations with their nodes and services."""

from __future__ import absolute_import, division, print_function

from ansible_collections.statecraft.infra.plugins.module_utils._adapter import UUID_RE
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import simulation_view
from ansible_collections.statecraft.infra.plugins.module_utils._air_topology import url_id
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError


def simulations_info(adapter, params):
    """Simulations matching the filters, each with its nodes and services."""
    if adapter.version != "v1":  # another API version reads them its own way (_air_v3.py)
        return adapter.simulations_info(params)
    if params.get("id"):
        found = adapter.get_or_none("v1/simulation/%s/" % params["id"])
        sims = [found] if found else []
    else:
        filters = dict((k, params[k]) for k in ("title", "state") if params.get(k))
        sims = [s for s in adapter.list("v1/simulation", filters)
                if all(str(s.get(k)) == str(v) for k, v in filters.items())]
    if params.get("organization"):
        org = str(params["organization"])
        if not UUID_RE.match(org):
            orgs = adapter.resolve_path("v1/organization", {"name": org})
            if not orgs:
                raise ModuleError("organization: no organization is named %s" % org)
            org = orgs[0]["id"]
        sims = [s for s in sims if url_id(s.get("organization")) == org]
    return {"simulations": [simulation_view(adapter, s) for s in sims]}
