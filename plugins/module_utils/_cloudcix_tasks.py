# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the CloudCIX modules do besides ensuring one resource: keep the private key of a
key pair CloudCIX generated, the info module's reads of any service, and reverting an
instance to a snapshot."""

from __future__ import absolute_import, division, print_function

import os

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix import search_filters, service_path
from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import snapshot_resource
from ansible_collections.statecraft.infra.plugins.module_utils._engine import Ensure, ModuleError, wait_options

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


# -- reverting an instance to a snapshot ----------------------------------------------------------
REVERTING = "update_running"  # cloudcix.md 5.3.2: a snapshot's update_running reverts its instance to it


def revert_options():
    """The snapshot, found as cloudcix_snapshot finds it, and the waits."""
    return dict(project=dict(type="raw", required=True), name=dict(type="str", required=True),
                instance=dict(type="raw"), **wait_options())


def revert_to_snapshot(adapter, params, check_mode, want_diff):
    """Revert the snapshot's instance to it. CloudCIX keeps no trace of whether an instance
    still is as a revert left it, so each run reverts (changed), unless a revert to this
    snapshot is under way: that one is waited for and none asked again (not changed)."""
    resource = snapshot_resource()
    lifecycle = resource.lifecycle
    engine = Ensure(resource, dict(params, state="present"), adapter, check_mode)
    engine.validate()
    snapshot = engine.find(engine.desired())
    if snapshot is None:
        raise ModuleError("name: the project %s has no snapshot %s%s to revert to (those deleted or queued for "
                          "deletion do not count)" % (params["project"], params["name"], " of the instance %s"
                                                      % params["instance"] if params.get("instance") else ""))
    waits = params["wait"] and not check_mode
    if snapshot.get("state") in lifecycle.transient - {REVERTING} and not check_mode:
        if not params["wait"]:
            raise ModuleError("name: the snapshot %s is %s and CloudCIX takes no revert until that is over; set "
                              "wait=true to let it finish first" % (params["name"], snapshot.get("state")))
        snapshot = engine.settled(snapshot, lifecycle)  # being taken: a predicted revert assumes it settles
    before = snapshot.get("state")
    changed = before != REVERTING
    if changed:
        check_revertible(snapshot, params, lifecycle, check_mode)
        snapshot = dict(snapshot, state=REVERTING) if check_mode else adapter.act(resource, snapshot, REVERTING)
    if waits and snapshot.get("state") in lifecycle.transient:
        snapshot = engine.wait_until(snapshot, lambda o: o is not None and o.get("state") not in lifecycle.transient,
                                     "the revert to be over", lifecycle)
    result = {"changed": changed, "snapshot": engine.result_view(snapshot)}
    if want_diff:  # the state the task asks CloudCIX for, the same in check mode
        result["diff"] = {"before": {"name": params["name"], "state": before},
                          "after": {"name": params["name"], "state": REVERTING}}
    return result


def check_revertible(snapshot, params, lifecycle, check_mode):
    """A taken snapshot (running) of a running instance, as CloudCIX reverts (cloudcix.md
    5.3.2; the instance running: 5.2.7, gen 1); in check mode one being taken counts."""
    state = snapshot.get("state")
    if state != "running" and not (check_mode and state in lifecycle.transient):
        raise ModuleError("name: the snapshot %s is %s, from which CloudCIX does not revert to it" % (
            params["name"], state))
    instance = snapshot.get("instance") or {}
    if instance.get("state") != "running":
        raise ModuleError("instance: %s is %s; CloudCIX reverts only a running instance to a snapshot" % (
            instance.get("name") or snapshot.get("instance_id"), instance.get("state")))
