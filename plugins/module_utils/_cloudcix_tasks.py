# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the CloudCIX modules do besides ensuring one resource: keep the private key of a
key pair CloudCIX generated, and the info module's reads of any service."""

from __future__ import absolute_import, division, print_function

import os

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix import search_filters, service_path

from urllib.parse import quote


def keep_private_key(params, result, check_mode):
    """A key pair CloudCIX generated is shown once: return it as ``private_key``, or, with
    private_key_path, write it there (mode 0600) and leave it out of the result."""
    key = (result.get("ssh_key") or {}).pop("private_key", None)
    path = params.get("private_key_path")
    if key and path:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key if key.endswith("\n") else key + "\n")
        os.chmod(path, 0o600)
        result["private_key_path"] = path
        key = None
    result["private_key"] = key or ""
    return result


# -- what the info module reads -------------------------------------------------------------------
def info(adapter, params):
    """A list (every page, search/exclude/order), one object by pk, or whether it exists (HEAD)."""
    application = params["application"]
    path = service_path(params["service"], params.get("path"))
    if params.get("pk") is not None:
        item = "%s%s/" % (path, quote(str(params["pk"]), safe=""))
        if params.get("exists_only"):
            response = adapter.client_for(application).send("HEAD", item)
            if response.status_code not in (200, 404):
                raise adapter.client_for(application).error("HEAD", response.url, response)
            return {"exists": response.status_code == 200, "objects": []}
        found = adapter.read_one(application, item, option="pk")
        return {"exists": found is not None, "objects": [found] if found is not None else []}
    filters = search_filters(params.get("search") or {})
    filters.update(search_filters(params.get("exclude") or {}, "exclude"))
    if params.get("order"):
        filters["order"] = params["order"]
    warnings = []
    objects = adapter.list(application, path, filters, warn=warnings.extend)
    return {"objects": objects, "warnings": ["CloudCIX: %s" % w for w in warnings], "metadata_warnings": warnings}
