# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CloudCIX resources the modules declare, with the checks of their options: the
generic module's target, a project (created in the connection's region: hooks on its
``Resource``, see ``_spec.py``), and the typed Compute objects the robot builds."""

from __future__ import absolute_import, division, print_function

import ipaddress
import re

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix import (
    BUSY_STATES,
    CLOUDCIX,
    GONE_STATES,
    ComputeResource,
    service_options,
    service_path,
)
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, same_value
from ansible_collections.statecraft.infra.plugins.module_utils._spec import (
    Field, Goal, KeyedSet, Lifecycle, Ref, RefSet, Resource)


# -- the generic modules ---------------------------------------------------------------------------
def generic_resource():
    """Any service of any application: the task names it (application, service, path)."""
    return Resource(
        name="resource", path=None, platform=CLOUDCIX,
        identity=("pk",), identities=[("search",)], required_identity=(),
        fields=dict(
            pk=Field(type="raw", lookup=True, clearable=False),
            search=Field(type="dict", lookup=True, clearable=False),
            # the object's own fields; a --diff masks those that look like secrets
            data=Field(type="dict", merge=True, wire="_data", clearable=False, read=read_data, secret_keys=True),
        ),
        extra_options=dict(
            service_options(),
            update_method=dict(type="str", default="patch", choices=["patch", "put"]),
            delete_state=dict(type="str"),
        ),
        mutually_exclusive=[("pk", "search")],
        check=check_generic_target,
    )


def read_data(adapter, obj):
    """The generic module's data are the object's own fields (a prediction holds the new
    values under "_data")."""
    return adapter.result_view(None, obj)


def check_generic_target(params):
    service_path(params["service"], params.get("path"))
    if not re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", params["application"]):
        raise ValueError("application: %r is not an application name (such as compute, membership, contact)"
                         % params["application"])
    if params.get("pk") is None and params.get("search") is None:
        raise ValueError("give pk or search to find the object")


def max_length(limit):
    """A Field check: CloudCIX's length limit for a name (cloudcix.md)."""
    def check(value):
        if len(str(value).strip()) > limit:
            raise ValueError("%d characters; CloudCIX takes at most %d" % (len(str(value).strip()), limit))
    return check


IP_GROUP_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def check_ip_group_name(value):
    """A letter, then letters, digits, _ and -; at most 50 (cloudcix.md 5.3.6)."""
    max_length(50)(value)
    if not IP_GROUP_NAME.match(value):
        raise ValueError("%r: an IP group's name starts with a letter and holds only letters, digits, _ and -"
                         % value)


def check_ip_group(params):
    """Every CIDR of the group's IP version (CloudCIX's default: 4)."""
    version = params.get("version")
    for cidr in params.get("cidrs") or []:
        network = ipaddress.ip_network(str(cidr), strict=False)
        if version is not None and network.version != version:
            raise ValueError("cidrs: %s is an IPv%d network but version is %d" % (cidr, network.version, version))


def check_region(adapter, resource, current, payload):
    """A project is created in a region, which is a connection option."""
    if current is None and adapter.params.get("region_id") is None:
        raise ModuleError("region_id: needed to create the project %r (or set CLOUDCIX_REGION_ID)"
                          % payload.get("name"))


def create_in_region(adapter, resource, payload):
    return adapter.create(resource, dict(payload, region_id=adapter.params["region_id"]))  # a connection option


def project_resource():
    return Resource(
        name="project", path="project", platform=CLOUDCIX, identity=("name",),
        fields=dict(name=Field(required=True, check=max_length(100)), note=Field(empty="")),
        check_write=check_region, create=create_in_region,
    )


# -- the typed Compute modules ----------------------------------------------------------------------
INSTANCE_GOALS = {  # cloudcix.md 5.3.2: the user's transitions of an instance
    "running": Goal("restart", done=["running"], pending=["pending", "building", "restart", "update_running"],
                    sources=["stopped"]),
    "stopped": Goal("stop", done=["stopped"], pending=["stop", "update_stopped"], sources=["running"]),
}


def robot_lifecycle(goals=None):
    """The string states the robot drives: changes wait for it, unresourced is a failure,
    and an object queued for deletion counts as deleted."""
    return Lifecycle(key="state", initial="pending", goals=goals or {}, transient=BUSY_STATES,
                     failed=["unresourced"], gone=GONE_STATES[1:], settle=True)


def project_fields(**fields):
    """The project an object belongs to, its name and grace period, and ``fields``."""
    out = dict(project=Ref("project", wire="project_id", required=True, clearable=False),
               name=Field(clearable=False), grace_period=Field(type="int", clearable=False))
    out.update(fields)
    return out


PURGE = {"purge": {"type": "bool", "default": False}}
RECREATE = "recreate"


def given_match(current, desired):
    """True when ``current`` holds what ``desired`` gives: dicts on the keys given, lists
    item by item in order and of the same length (firewall rules, interfaces), plain values
    by value (a port 22 is "22")."""
    if isinstance(desired, dict):
        return isinstance(current, dict) and all(given_match(current.get(k), v) for k, v in desired.items())
    if isinstance(desired, list):
        return (isinstance(current, list) and len(current) == len(desired)
                and all(given_match(c, d) for c, d in zip(current, desired)))
    return same_value(current, desired)


def cidr_set(cidrs):
    """CIDRs as CloudCIX stores them (10.0.0.5/24 is 10.0.0.0/24), in no particular order."""
    try:
        return sorted(str(ipaddress.ip_network(str(c), strict=False)) for c in cidrs)
    except ValueError as exc:
        raise ValueError(str(exc))


def public_key_text(key):
    """An OpenSSH public key without its comment (CloudCIX may keep or drop it)."""
    return " ".join(str(key).split()[:2])


def network_router_resource():
    return ComputeResource(
        name="network_router", path="network/routers", identity=("project",), fixed={"type": "router"},
        config=("networks",), lifecycle=robot_lifecycle(), extra_options=PURGE,
        fields=project_fields(networks=KeyedSet(key="ipv4")),
    )


def check_network(value):
    """A Field check: a CIDR (host bits allowed, 10.0.5.7/24 is 10.0.5.0/24)."""
    ipaddress.ip_network(str(value), strict=False)


def check_address(value):
    ipaddress.ip_address(str(value))


def network_text(value):
    """A CIDR as CloudCIX stores it: its network (10.0.5.7/24 is 10.0.5.0/24)."""
    try:
        return str(ipaddress.ip_network(str(value), strict=False))
    except ValueError:
        return value


def check_nexthop_in_router(adapter, resource, current, payload):
    """A new static route's next hop is an address of a network of the project's router
    (cloudcix.md 5.3.5): checked on the router before the create, in check mode too."""
    nexthop, project_id = payload.get("metadata.nexthop"), payload.get("project_id")
    if current is not None or nexthop is None or not isinstance(project_id, int):
        return  # a project an earlier task of a check run would create has no router to read yet
    routers = [r for r in adapter.list("compute", "network/routers/", {
        "search[project_id]": project_id, "search[type]": "router"}) if not adapter.is_gone(r)]
    networks = [n["ipv4"] for r in routers for n in r.get("networks") or [] if n.get("ipv4")]
    if networks and not any(ipaddress.ip_address(str(nexthop)) in ipaddress.ip_interface(n).network
                            for n in networks):
        raise ModuleError("nexthop: %s is in no network of the project's router (%s); CloudCIX forwards a static "
                          "route to an address of one" % (nexthop, ", ".join(networks)))


def static_route_resource():
    """A static route: an object of the routers' collection of type static_route, found by
    its project and destination (which may not overlap within the project)."""
    return ComputeResource(
        name="static_route", path="network/routers", identity=("project", "destination"),
        required_identity=("project", "destination"), fixed={"type": "static_route"}, config=("metadata",),
        lifecycle=robot_lifecycle(), extra_options=PURGE, replace_guard=RECREATE,
        check_write=check_nexthop_in_router,
        fields=project_fields(
            destination=Field(required=True, wire="metadata.destination", canonical=network_text,
                              check=check_network),
            # CloudCIX changes only a route's nat and name: another next hop is a new route
            nexthop=Field(wire="metadata.nexthop", required_on_create=True, replace=True, clearable=False,
                          check=check_address),
            nat=Field(type="bool", wire="metadata.nat", clearable=False),
        ),
    )


def firewall_resource():
    return ComputeResource(
        name="firewall", path="network/firewalls", identity=("project", "type"), config=("rules",),
        lifecycle=robot_lifecycle(), extra_options=PURGE,
        fields=project_fields(type=Field(choices=["project", "geo"], default="project", clearable=False),
                              rules=Field(type="list", elements="dict", compare=given_match, empty=[])),
    )


def ip_group_resource():
    return Resource(
        name="ip_group", path="network/ip_groups", platform=CLOUDCIX, identity=("name",), check=check_ip_group,
        fields=dict(name=Field(required=True, check=check_ip_group_name),
                    cidrs=Field(type="list", elements="str", canonical=cidr_set, required_on_create=True,
                                clearable=False),
                    version=Field(type="int", choices=[4, 6], clearable=False), description=Field(empty="")),
    )


def ssh_key_resource():
    return Resource(
        name="ssh_key", path="compute/ssh_keys", platform=CLOUDCIX, identity=("name",), replace_guard=RECREATE,
        fields=dict(name=Field(required=True, check=max_length(50)),
                    public_key=Field(canonical=public_key_text, replace=True, clearable=False)),
        extra_options={"private_key_path": {"type": "path"}},
    )


def instance_resource():
    return ComputeResource(
        name="instance", path="compute/instances", identity=("project", "name"), required_identity=("project", "name"),
        config=("specs", "interfaces", "metadata"), lifecycle=robot_lifecycle(INSTANCE_GOALS),
        extra_options=PURGE, replace_guard=RECREATE,
        fields=project_fields(
            name=Field(required=True),
            type=Field(choices=["lxd", "hyperv"], create_default="lxd", replace=True, clearable=False),
            specs=KeyedSet(key="sku_name", purgeable=False, required_on_create=True, clearable=False),
            interfaces=Field(type="list", elements="dict", compare=given_match, clearable=False),
            metadata=Field(type="dict", merge=True, create_default={}, clearable=False, secret_keys=True),
        ),
    )


def volume_resource():
    return ComputeResource(
        name="volume", path="storage/volumes", identity=("project", "name"), required_identity=("project", "name"),
        config=("specs", "metadata"), lifecycle=robot_lifecycle(), extra_options=PURGE, replace_guard=RECREATE,
        fields=project_fields(
            name=Field(required=True),
            type=Field(choices=["cephfs", "cephrbd", "hyperv"], create_default="cephfs", replace=True,
                       clearable=False),
            specs=KeyedSet(key="sku_name", purgeable=False, required_on_create=True, clearable=False),
            mount_path=Field(wire="metadata.mount_path", clearable=False),
            instances=RefSet("compute/instances", wire="metadata.attach_instance_ids", read_key="contra_instances"),
            instance=Ref("compute/instances", wire="instance_id", read_key="instance", create_only=True),
        ),
    )


def vpn_resource():
    return ComputeResource(
        name="vpn", path="network/vpns", identity=("project", "name"), required_identity=("project", "name"),
        config=("metadata",), lifecycle=robot_lifecycle(), extra_options=PURGE,
        fields=project_fields(
            name=Field(required=True),
            type=Field(choices=["site-to-site"], create_default="site-to-site", create_only=True),
            # sent whole: CloudCIX replaces a VPN's metadata (its IKE/IPsec settings)
            metadata=Field(type="dict", compare=given_match, required_on_create=True, clearable=False,
                           secret_keys=True),  # a --diff masks the pre-shared key
        ),
    )


def gpu_resource():
    return ComputeResource(
        name="gpu", path="compute/gpus", identity=("project", "name", "instance"),
        required_identity=("project", "name"), lifecycle=robot_lifecycle(), extra_options=PURGE,
        fields=project_fields(
            name=Field(required=True),
            instance=Ref("compute/instances", wire="instance_id", read_key="instance", required_on_create=True,
                         clearable=False),
            specs=KeyedSet(key="sku_name", purgeable=False, required_on_create=True, create_only=True),
        ),
    )


def create_of_instance_type(adapter, resource, payload):
    """A snapshot or backup is created as {project_id, instance_id, type, name} (cloudcix.md
    5.3.6), its type the instance's (lxd, hyperv), read already to find the instance."""
    instance = adapter.known("compute/instances", payload.get("instance_id")) or {}
    if instance.get("type"):
        payload = dict(payload, type=instance["type"])
    return adapter.create(resource, payload)


def instance_copy_resource(name, path, extra_options=None):
    """A snapshot or backup: of one instance, found by name in the project (and by the
    instance when given)."""
    return ComputeResource(
        name=name, path=path, identity=("project", "name", "instance"), required_identity=("project", "name"),
        lifecycle=robot_lifecycle(), extra_options=dict(PURGE, **(extra_options or {})),
        create=create_of_instance_type,
        fields=project_fields(
            name=Field(required=True),
            instance=Ref("compute/instances", wire="instance_id", read_key="instance", required_on_create=True,
                         clearable=False),
        ),
    )


def snapshot_resource():
    return instance_copy_resource("snapshot", "compute/snapshots")


def backup_resource():
    # repository is a gen-1 field (cloudcix.md 5.2.8) that gen-2 backups do not take: accepted, never sent
    return instance_copy_resource("backup", "compute/backups", extra_options={"repository": {
        "type": "int", "choices": [1, 2], "removed_in_version": "1.0.0", "removed_from_collection": "statecraft.infra"}})
