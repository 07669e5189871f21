# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""NVIDIA Air's v3 ("DSX Air") API, served by the Air emulator under ``/api/v3/``.

Facts come from air.md Appendix A and, where the spec says nothing or disagrees, from
nv-air-sdk 1.9.0 ("N:<file>" below, files under ``air_sdk/`` in its wheel): the SDK wins.
What neither says is marked [INFERRED].

Auth is an NGC API key sent as ``Authorization: Bearer nvapi-...``; there is no login
exchange (air.md A, N:client.py). Lists use the DRF envelope of v2 (air.md A). Field names
are v3's: a simulation's ``name`` and ``creator``, a service's ``node_port``,
``worker_port`` and ``worker_fqdn`` (N:bc/simulation.py, N:bc/service.py). Start, shutdown
and rebuild are PATCH actions (N:endpoints/simulations.py).

The v3 store is its own: simulations made through v3 are not seen by v1/v2 and the other
way round (v3 is a separate deployment with its own host, air.md 1.1). The images and the
worker are the emulator's.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

from air_emulator import (
    EXIT,
    NOT_FOUND,
    REQUIRED,
    SERVICE_TYPES,
    SLEEP_AFTER,
    EXPIRE_AFTER,
    UUID_RE,
    USERCONFIG_KINDS,
    WORKER_FQDN,
    DotParser,
    TopologyError,
    _matches,
    as_choice,
    as_datetime,
    as_int,
    as_object,
    as_str,
    bad,
    converted_fields,
    new_id,
    reject_fields,
    required,
    spec_from_json,
    ssh_fingerprint,
)
from emulator_base import ApiError, Response, iso

V3_PREFIX = "/api/v3/"
DEFAULT_NGC_API_KEY = "nvapi-sandbox-ngc-api-key"
COLLECTIONS = ("simulations", "nodes", "interfaces", "links", "services", "sshkeys", "userconfigs")
LIST_PARAMETERS = ("limit", "offset", "ordering", "search")
# N:endpoints/simulations.py Simulation; PATCH takes the writable ones (N:bc/simulation.py update)
SIM_WRITABLE = ("name", "documentation", "metadata", "sleep_at", "expires_at")
SIM_READ_ONLY = ("id", "created", "modified", "state", "creator", "auto_oob_enabled", "enable_dhcp",
                 "complete_checkpoint_count")
# N:types.py SimState; the transitions the SDK waits for (N:endpoints/simulations.py
# _wait_and_start_simulation: IMPORTING -> INACTIVE, then start)
STARTING, STOPPING, REBUILDING = "BOOTING", "SHUTTING_DOWN", "REBUILDING"
NODE_WRITABLE = ("name", "image", "cpu", "memory", "storage", "pos_x", "pos_y", "labels", "metadata")


def unauthorized(detail):
    # [INFERRED] NGC keys are checked by a non-session authenticator: 401 (the SDK reads no status)
    return ApiError(401, {"detail": detail}, {"WWW-Authenticate": "Bearer"})


class AirV3Api:
    """The v3 resources and their state; ``handle(req)`` answers a request under /api/v3/."""

    def __init__(self, emulator, api_key=DEFAULT_NGC_API_KEY):
        self.emu = emulator
        self.api_key = api_key
        self.state = {name: {} for name in COLLECTIONS}
        self.import_seconds = 2
        u = "(?P<id>%s)" % UUID_RE
        table = (
            ("simulations/", {"GET": self._lister("simulations", self._sim), "POST": self._sim_create}),
            ("simulations/import/", {"POST": self._sim_import}),
            ("simulations/clone/", {"POST": self._sim_clone}),
            ("simulations/%s/" % u, {"GET": self._getter("simulations", self._sim), "PATCH": self._sim_patch,
                                     "DELETE": self._sim_delete}),
            ("simulations/%s/(?P<action>start|shutdown|rebuild)/" % u, {"PATCH": self._sim_action}),
            ("simulations/nodes/", {"GET": self._lister("nodes", self._node), "POST": self._node_create}),
            ("simulations/nodes/bulk-assign/", {"PATCH": self._bulk_assign}),
            ("simulations/nodes/%s/" % u, {"GET": self._getter("nodes", self._node), "PATCH": self._node_patch,
                                           "DELETE": self._node_delete}),
            ("simulations/nodes/interfaces/", {"GET": self._lister("interfaces", self._interface),
                                               "POST": self._interface_create}),
            ("simulations/nodes/interfaces/%s/" % u, {"GET": self._getter("interfaces", self._interface),
                                                      "DELETE": self._interface_delete}),
            ("simulations/nodes/interfaces/links/", {"GET": self._lister("links", self._link),
                                                     "POST": self._link_create}),
            ("simulations/nodes/interfaces/links/%s/" % u, {"GET": self._getter("links", self._link),
                                                            "DELETE": self._link_delete}),
            ("simulations/nodes/interfaces/services/", {"GET": self._lister("services", self._service),
                                                        "POST": self._service_create}),
            ("simulations/nodes/interfaces/services/%s/" % u, {"GET": self._getter("services", self._service),
                                                               "DELETE": self._service_delete}),
            ("images/", {"GET": self._image_list}),
            ("images/%s/" % u, {"GET": lambda req, id: Response(200, self._image(self._emu_image(id)))}),
            ("users/ssh-keys/", {"GET": self._lister("sshkeys", self._sshkey), "POST": self._sshkey_create}),
            ("users/ssh-keys/%s/" % u, {"GET": self._getter("sshkeys", self._sshkey),
                                        "DELETE": self._sshkey_delete}),
            ("userconfigs/", {"GET": self._lister("userconfigs", self._userconfig, lazy=("content",)),
                              "POST": self._userconfig_create}),
            ("userconfigs/%s/" % u, {"GET": self._getter("userconfigs", self._userconfig),
                                     "PATCH": self._userconfig_patch, "DELETE": self._userconfig_delete}),
        )
        self.routes = [(re.compile(pattern), methods) for pattern, methods in table]

    # ----- entry point ------------------------------------------------------------------------------
    def handle(self, req):
        self._tick()
        rel = req.path[len(V3_PREFIX):]
        for pattern, methods in self.routes:
            match = pattern.fullmatch(rel)
            if match:
                break
        else:
            raise ApiError(404, NOT_FOUND)
        self._authenticate(req)
        handler = methods.get(req.method)
        if handler is None:
            raise ApiError(405, {"detail": 'Method "%s" not allowed.' % req.method},
                           {"Allow": ", ".join(sorted(methods))})
        return handler(req, **match.groupdict())

    def _authenticate(self, req):
        """air.md A, N:client.py: the NGC key itself is the bearer token; no /login/."""
        parts = (req.headers.get("Authorization") or "").split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            raise unauthorized("Authentication credentials were not provided.")
        if parts[1] != self.api_key:
            raise unauthorized("Invalid API key.")
        req.user = {"username": self.emu.username}

    # ----- records ----------------------------------------------------------------------------------
    def _put(self, collection, record):
        now = self.emu.clock.now()
        record.setdefault("id", new_id())
        record.setdefault("created", now)
        record["modified"] = now
        self.state[collection][record["id"]] = record
        return record

    def _find(self, collection, id):
        record = self.state[collection].get(str(id).lower())
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def _fk(self, collection, field, value):
        if value in (None, ""):
            raise ApiError(400, {field: REQUIRED})
        record = self.state[collection].get(str(value).lower())
        if record is None:
            raise bad(field, 'Invalid pk "%s" - object does not exist.' % value)
        return record

    def _where(self, collection, **equal):
        return [r for r in self.state[collection].values() if all(r.get(k) == v for k, v in equal.items())]

    def _lister(self, collection, serialize, lazy=()):
        def handler(req):
            items = [serialize(r) for r in self.state[collection].values()]
            items = [i for i in items if all(_matches(i, k, v) for k, v in req.query.items()
                                             if k not in LIST_PARAMETERS)]
            # [INFERRED] a list leaves out lazy fields (N:endpoints/user_configs.py FIELD_LAZY content)
            items = [dict((k, v) for k, v in i.items() if k not in lazy) for i in items]
            return Response(200, self.emu._paginate(req, items))
        return handler

    def _getter(self, collection, serialize):
        return lambda req, id: Response(200, serialize(self._find(collection, id)))

    # ----- representations (the dataclasses of N:endpoints/*.py; every field present) ---------------
    def _sim(self, sim):
        return {"id": sim["id"], "name": sim["name"], "created": iso(sim["created"]), "modified": iso(sim["modified"]),
                "state": sim["state"], "creator": sim["creator"], "auto_oob_enabled": sim["auto_oob_enabled"],
                "enable_dhcp": sim["enable_dhcp"], "sleep_at": sim["sleep_at"] and iso(sim["sleep_at"]),
                "expires_at": sim["expires_at"] and iso(sim["expires_at"]), "documentation": sim["documentation"],
                "complete_checkpoint_count": 0, "metadata": sim["metadata"]}

    def _node(self, node):
        cloud_init = dict((key, node[key]) for key in ("user_data", "meta_data"))
        for key in ("user_data", "meta_data"):
            config = self.state["userconfigs"].get(node[key] or "")
            cloud_init[key + "_name"] = config["name"] if config else None
        return {"id": node["id"], "created": iso(node["created"]), "modified": iso(node["modified"]),
                "name": node["name"], "simulation": node["simulation"], "image": node["image"],
                "category": "VM", "state": node["state"], "status_from_worker": "", "split_options": None,
                "cpu": node["cpu"], "memory": node["memory"], "storage": node["storage"],
                "pos_x": node["pos_x"], "pos_y": node["pos_y"], "cdrom": None, "storage_pci": None,
                "labels": node["labels"], "metadata": node["metadata"], "advanced": {},
                "management_interfaces": None, "placement_group": "", "cloud_init": cloud_init}

    def _interface(self, iface):
        return {"id": iface["id"], "name": iface["name"], "created": iso(iface["created"]),
                "modified": iso(iface["modified"]), "node": iface["node"], "simulation": iface["simulation"],
                "interface_type": iface["interface_type"], "mac_address": iface["mac_address"],
                "connection": self._peer(iface), "outbound": iface["outbound"], "labels": None,
                "interface_role": None, "scalable_unit": None, "split": None}

    def _peer(self, iface):
        link = self.state["links"].get(iface["link"] or "")
        return next((i for i in link["interfaces"] if i != iface["id"]), None) if link else None

    def _link(self, link):
        ends = [self.state["interfaces"][i] for i in link["interfaces"]]
        # N:endpoints/links.py load_model: interfaces arrive as {id, name, node_name}
        return {"id": link["id"], "created": iso(link["created"]), "modified": iso(link["modified"]),
                "simulation": link["simulation"],
                "interfaces": [{"id": e["id"], "name": e["name"],
                                "node_name": self.state["nodes"][e["node"]]["name"]} for e in ends],
                "labels": None}

    def _service(self, service):
        return {"id": service["id"], "name": service["name"], "node_port": service["node_port"],
                "service_type": service["service_type"], "created": iso(service["created"]),
                "modified": iso(service["modified"]), "interface": service["interface"],
                "simulation": service["simulation"], "worker_port": service["worker_port"],
                "worker_fqdn": service["worker_fqdn"]}

    def _image(self, image):
        """N:endpoints/images.py Image; the emulator's images, read-only here."""
        return {"id": image["id"], "name": image["name"], "created": iso(image["created"]), "creator": None,
                "modified": iso(image["modified"]), "published": True, "publicly_published": True,
                "includes_air_agent": False, "cpu_arch": "x86", "default_username": image["default_username"],
                "default_password": image["default_password"], "version": image["version"], "mountpoint": None,
                "emulation_type": [], "emulation_version": "", "provider": "VM",
                "minimum_resources": dict(image["minimum_resources"]), "is_owned_by_client": False, "notes": None,
                "release_notes": None, "user_manual": None, "upload_status": "COMPLETE", "last_uploaded_at": None,
                "size": 0, "hash": "", "publish_access_record_id": None}

    def _emu_image(self, id):
        image = self.emu._state["images"].get(str(id).lower())
        if image is None:
            raise ApiError(404, NOT_FOUND)
        return image

    def _image_list(self, req):
        items = [self._image(i) for i in self.emu._state["images"].values()]
        items = [i for i in items if all(_matches(i, k, v) for k, v in req.query.items() if k not in LIST_PARAMETERS)]
        return Response(200, self.emu._paginate(req, items))

    @staticmethod
    def _sshkey(key):
        return {"id": key["id"], "created": iso(key["created"]), "name": key["name"], "fingerprint": key["fingerprint"]}

    @staticmethod
    def _userconfig(config):
        return {"id": config["id"], "name": config["name"], "kind": config["kind"], "content": config["content"]}

    # ----- simulations --------------------------------------------------------------------------------
    def _sim_fields(self, body, strict):
        if strict:
            reject_fields(body, SIM_WRITABLE, SIM_READ_ONLY)
        converters = {
            "name": lambda v: as_str("name", v, blank=False),
            "documentation": lambda v: as_str("documentation", v, null=True),
            "metadata": lambda v: as_str("metadata", v, null=True),
            # v3 has no sleep/expires flags: a null time switches the timer off (N:bc/simulation.py
            # _BOOLEAN_DATETIME_FIELDS maps sleep=False to sleep_at=None)
            "sleep_at": lambda v: None if v is None else as_datetime("sleep_at", v),
            "expires_at": lambda v: None if v is None else as_datetime("expires_at", v),
        }
        return converted_fields(body, SIM_WRITABLE, converters)

    def _new_sim(self, req, changes, state="INACTIVE", auto_oob=True):
        now = self.emu.clock.now()
        # [INFERRED] the v1/v2 observed defaults (air.md 7.1) carry over to v3
        sim = {"name": None, "state": state, "creator": req.user["username"], "auto_oob_enabled": auto_oob,
               "enable_dhcp": auto_oob, "sleep_at": now + SLEEP_AFTER, "expires_at": now + EXPIRE_AFTER,
               "documentation": None, "metadata": None, "due": None, "then": None}
        sim.update(changes)
        if not sim["name"]:
            raise ApiError(400, {"name": REQUIRED})
        return self._put("simulations", sim)

    def _sim_create(self, req):
        """POST simulations/ -> 201 (N:endpoints/simulations.py, CreateApiMixin): a blank simulation."""
        sim = self._new_sim(req, self._sim_fields(as_object(req.body), strict=False))
        return Response(201, self._sim(sim))

    def _sim_import(self, req):
        """POST simulations/import/ {name, format: JSON|DOT, content, ...} -> 201 + the simulation
        (N:endpoints/simulations.py import_from_data). It is IMPORTING until its nodes exist."""
        body = as_object(req.body)
        fmt = as_choice("format", required(body, "format"), ("JSON", "DOT"))
        content = required(body, "content")
        try:
            if fmt == "DOT":
                spec = DotParser(as_str("content", content)).parse()
            else:
                spec = spec_from_json(json.loads(content) if isinstance(content, str) else content)
        except TopologyError as err:
            raise ApiError(400, {err.field or "content": [str(err)]}) from None
        except ValueError:
            raise bad("content", "Invalid JSON.") from None
        changes = self._sim_fields(body, strict=False)
        changes.setdefault("name", spec.get("name"))
        # air.md 8.5: the JSON "oob" key (default on) becomes the simulation's auto_oob_enabled
        # [INFERRED: the OOB nodes themselves are not materialised by this emulator]
        sim = self._new_sim(req, changes, state="IMPORTING", auto_oob=spec["oob"] if fmt == "JSON" else True)
        try:
            self._populate(sim, spec)
        except TopologyError as err:
            self._remove_sim(sim)
            raise ApiError(400, {err.field or "content": [str(err)]}) from None
        sim.update(due=self.emu.clock.now() + timedelta(seconds=self.import_seconds), then="INACTIVE")
        return Response(201, self._sim(sim))

    def _populate(self, sim, spec):
        nodes = {}
        for name, attrs in spec["nodes"].items():
            nodes[name] = self._add_node(sim, name, dict(attrs))

        def iface(node_name, ifname, mac=None):
            if node_name not in nodes:
                nodes[node_name] = self._add_node(sim, node_name, {})
            node = nodes[node_name]
            found = self._where("interfaces", node=node["id"], name=ifname)
            return found[0] if found else self._add_interface(node, ifname, mac)

        for end_a, end_b in spec["links"]:
            if end_b == EXIT:
                iface(*end_a)["outbound"] = True
            else:
                self._connect(iface(*end_a), iface(*end_b))

    def _add_node(self, sim, name, attrs):
        image = self.emu._image(attrs.pop("os", attrs.pop("image", "generic/ubuntu2204")), "nodes")
        minimum = image["minimum_resources"]
        values = dict((key, as_int(key, attrs.get(key, minimum[key]), minimum=1))
                      for key in ("cpu", "memory", "storage"))
        return self._put("nodes", dict(values, simulation=sim["id"], name=name, image=image["id"], state="SHUTOFF",
                                       pos_x=0, pos_y=0, labels=None, metadata=None, user_data=None,
                                       meta_data=None))

    def _add_interface(self, node, name, mac=None, interface_type="DATA_PLANE_INTF", outbound=False):
        return self._put("interfaces", {"node": node["id"], "simulation": node["simulation"], "name": name,
                                        "mac_address": mac or self.emu._mac(), "interface_type": interface_type,
                                        "outbound": outbound, "link": None})

    def _connect(self, a, b):
        for end in (a, b):
            if end["link"] is not None:
                raise TopologyError("Interface %s is in more than one link." % end["name"], "interfaces")
        if a["id"] == b["id"]:
            raise TopologyError("A link cannot connect an interface to itself.", "interfaces")
        link = self._put("links", {"simulation": a["simulation"], "interfaces": [a["id"], b["id"]]})
        a["link"] = b["link"] = link["id"]
        return link

    def _sim_clone(self, req):
        """POST simulations/clone/ {simulation, name?} -> 201 (N:endpoints/simulations.py clone)."""
        body = as_object(req.body)
        source = self._fk("simulations", "simulation", body.get("simulation"))
        changes = dict((k, source[k]) for k in SIM_WRITABLE)
        changes.update(self._sim_fields(dict((k, v) for k, v in body.items() if k in SIM_WRITABLE), strict=False))
        clone = self._new_sim(req, changes, auto_oob=source["auto_oob_enabled"])
        nodes = {}
        for node in self._where("nodes", simulation=source["id"]):
            attrs = dict((k, node[k]) for k in ("image", "cpu", "memory", "storage"))
            nodes[node["id"]] = self._add_node(clone, node["name"], attrs)
        ifaces = dict((i["id"], self._add_interface(nodes[i["node"]], i["name"], None, i["interface_type"],
                                                    i["outbound"]))
                      for i in self._where("interfaces", simulation=source["id"]))
        for link in self._where("links", simulation=source["id"]):
            self._connect(*[ifaces[i] for i in link["interfaces"]])
        return Response(201, self._sim(clone))

    def _sim_patch(self, req, id):
        sim = self._find("simulations", id)
        sim.update(self._sim_fields(as_object(req.body), strict=True), modified=self.emu.clock.now())
        return Response(200, self._sim(sim))

    def _sim_delete(self, req, id):
        """DELETE -> 204 (N:endpoints/simulations.py DeleteApiMixin); [INFERRED] gone at once."""
        self._remove_sim(self._find("simulations", id))
        return Response(204)

    def _remove_sim(self, sim):
        for service in self._where("services", simulation=sim["id"]):
            self._remove_service(service)
        for collection in ("links", "interfaces", "nodes"):
            for record in self._where(collection, simulation=sim["id"]):
                del self.state[collection][record["id"]]
        del self.state["simulations"][sim["id"]]

    def _sim_action(self, req, id, action):
        """PATCH simulations/{id}/start|shutdown|rebuild/ -> 200 + an object (N:endpoints/simulations.py:
        raise_if_invalid_response with its defaults, 200 and a dict). [INFERRED] guards and body."""
        sim = self._find("simulations", id)
        sources, transient, seconds, then = {
            "start": (("INACTIVE",), STARTING, self.emu.load_seconds, "ACTIVE"),
            "shutdown": (("ACTIVE",), STOPPING, self.emu.store_seconds, "INACTIVE"),
            "rebuild": (("ACTIVE",), REBUILDING, self.emu.load_seconds, "ACTIVE"),
        }[action]
        if sim["state"] not in sources:
            raise ApiError(400, {"non_field_errors": ["Cannot %s a simulation in the %s state." % (action, sim["state"])]})
        now = self.emu.clock.now()
        sim.update(state=transient, due=now + timedelta(seconds=seconds), then=then, modified=now)
        return Response(200, self._sim(sim))

    def _tick(self):
        now = self.emu.clock.now()
        for sim in list(self.state["simulations"].values()):
            if sim["due"] is not None and sim["due"] <= now:
                sim.update(state=sim["then"], due=None, then=None, modified=sim["due"])
                for node in self._where("nodes", simulation=sim["id"]):
                    node["state"] = "RUNNING" if sim["state"] == "ACTIVE" else "SHUTOFF"

    def _editable(self, sim_id):
        """[INFERRED, air.md 8.2] nodes, interfaces and links change only while the simulation is INACTIVE."""
        sim = self._find("simulations", sim_id)
        if sim["state"] != "INACTIVE":
            raise ApiError(400, {"non_field_errors": ["The simulation is %s; stop it first." % sim["state"]]})
        return sim

    # ----- nodes, interfaces, links ----------------------------------------------------------------------
    def _node_create(self, req):
        body = as_object(req.body)
        sim = self._editable(self._fk("simulations", "simulation", body.get("simulation"))["id"])
        name = as_str("name", required(body, "name"), blank=False)
        attrs = dict((k, body[k]) for k in ("cpu", "memory", "storage") if body.get(k) is not None)
        if body.get("image"):
            attrs["image"] = body["image"]
        try:
            node = self._add_node(sim, name, attrs)
        except TopologyError as err:
            raise bad("image", str(err)) from None
        return Response(201, self._node(node))

    def _node_patch(self, req, id):
        node = self._find("nodes", id)
        body = as_object(req.body)
        reject_fields(body, NODE_WRITABLE)
        self._editable(node["simulation"])
        for key in ("cpu", "memory", "storage", "pos_x", "pos_y"):
            if key in body:
                node[key] = as_int(key, body[key])
        if "name" in body:
            node["name"] = as_str("name", body["name"], blank=False)
        node["modified"] = self.emu.clock.now()
        return Response(200, self._node(node))

    def _node_delete(self, req, id):
        node = self._find("nodes", id)
        self._editable(node["simulation"])
        for iface in self._where("interfaces", node=node["id"]):
            self._remove_interface(iface)
        del self.state["nodes"][node["id"]]
        return Response(204)

    def _bulk_assign(self, req):
        """PATCH simulations/nodes/bulk-assign/ {simulation, nodes: [{node, user_data?, meta_data?}]} -> 204
        (N:endpoints/simulations.py node_bulk_assign, N:bc/cloud_init.py). A key left out is kept, a null
        clears it [INFERRED]."""
        body = as_object(req.body)
        sim = self._fk("simulations", "simulation", body.get("simulation"))
        entries = body.get("nodes")
        if not isinstance(entries, list) or not entries:
            raise bad("nodes", "Expected a non-empty list.")
        updates = []
        for entry in entries:
            node = self._fk("nodes", "node", as_object(entry).get("node"))
            if node["simulation"] != sim["id"]:
                raise bad("nodes", "Node %s is not part of the simulation." % node["id"])
            change = {}
            for key, kind in (("user_data", USERCONFIG_KINDS[0]), ("meta_data", USERCONFIG_KINDS[1])):
                if key in entry:
                    config = None if entry[key] is None else self._fk("userconfigs", key, entry[key])
                    if config is not None and config["kind"] != kind:
                        raise bad(key, "Expected a user config of kind %s." % kind)
                    change[key] = config and config["id"]
            updates.append((node, change))
        for node, change in updates:  # all or nothing
            node.update(change, modified=self.emu.clock.now())
        return Response(204)

    def _interface_create(self, req):
        body = as_object(req.body)
        node = self._fk("nodes", "node", body.get("node"))
        self._editable(node["simulation"])
        name = as_str("name", required(body, "name"), blank=False)
        if self._where("interfaces", node=node["id"], name=name):
            raise bad("name", "The node already has an interface %s." % name)
        iface = self._add_interface(node, name, body.get("mac_address"),
                                    as_choice("interface_type", body.get("interface_type", "DATA_PLANE_INTF"),
                                              ("DATA_PLANE_INTF", "PCIE_INTF", "OOB_INTF")),
                                    bool(body.get("outbound", False)))
        return Response(201, self._interface(iface))

    def _interface_delete(self, req, id):
        iface = self._find("interfaces", id)
        self._editable(iface["simulation"])
        self._remove_interface(iface)
        return Response(204)

    def _remove_interface(self, iface):
        for service in self._where("services", interface=iface["id"]):
            self._remove_service(service)
        if iface["link"]:
            self._remove_link(self.state["links"][iface["link"]])
        del self.state["interfaces"][iface["id"]]

    def _link_create(self, req):
        """POST links/ {interfaces: [a, b]} -> 201 (N:bc/link.py: bulk-create is gone, one create per link)."""
        body = as_object(req.body)
        ends = body.get("interfaces")
        if not isinstance(ends, list) or len(ends) != 2:
            raise bad("interfaces", "Expected a list of two interfaces.")
        a, b = (self._fk("interfaces", "interfaces", end) for end in ends)
        if a["simulation"] != b["simulation"]:
            raise bad("interfaces", "Both interfaces must be in one simulation.")
        self._editable(a["simulation"])
        try:
            link = self._connect(a, b)
        except TopologyError as err:
            raise bad("interfaces", str(err)) from None
        return Response(201, self._link(link))

    def _link_delete(self, req, id):
        link = self._find("links", id)
        self._editable(link["simulation"])
        self._remove_link(link)
        return Response(204)

    def _remove_link(self, link):
        for iface_id in link["interfaces"]:
            self.state["interfaces"][iface_id]["link"] = None
        del self.state["links"][link["id"]]

    # ----- services (immutable: N:endpoints/services.py has no PATCH) -------------------------------------
    def _service_create(self, req):
        body = as_object(req.body)
        name = as_str("name", required(body, "name"), blank=False)
        iface = self._fk("interfaces", "interface", body.get("interface"))
        node_port = as_int("node_port", required(body, "node_port"), minimum=1, maximum=65535)
        # [INFERRED] the v1/v2 server default (air.md 7.3)
        service_type = as_choice("service_type", body.get("service_type") or "other", SERVICE_TYPES)
        worker = self.emu._state["workers"][self.emu.worker_id]
        service = self._put("services", {
            "name": name, "interface": iface["id"], "simulation": iface["simulation"], "node_port": node_port,
            "service_type": service_type, "worker_port": self.emu._allocate_port(worker),
            "worker_fqdn": WORKER_FQDN})
        return Response(201, self._service(service))

    def _service_delete(self, req, id):
        self._remove_service(self._find("services", id))
        return Response(204)

    def _remove_service(self, service):
        self.emu._state["workers"][self.emu.worker_id]["used_ports"].discard(service["worker_port"])
        del self.state["services"][service["id"]]

    # ----- SSH keys, user configs ---------------------------------------------------------------------------
    def _sshkey_create(self, req):
        body = as_object(req.body)
        name = as_str("name", required(body, "name"), blank=False)
        fingerprint = ssh_fingerprint(required(body, "public_key"))
        return Response(201, self._sshkey(self._put("sshkeys", {"name": name, "fingerprint": fingerprint})))

    def _sshkey_delete(self, req, id):
        del self.state["sshkeys"][self._find("sshkeys", id)["id"]]
        return Response(204)

    def _userconfig_fields(self, body, partial):
        changes = {}
        for key, convert in (("name", lambda v: as_str("name", v, blank=False)),
                             ("kind", lambda v: as_choice("kind", v, USERCONFIG_KINDS)),
                             ("content", lambda v: as_str("content", v))):
            if key in body:
                changes[key] = convert(body[key])
            elif not partial:
                raise ApiError(400, {key: REQUIRED})
        return changes

    def _userconfig_create(self, req):
        body = as_object(req.body)
        # N:bc/user_config.py: organization and owner are gone in v3
        reject_fields(body, ("name", "kind", "content"))
        return Response(201, self._userconfig(self._put("userconfigs", self._userconfig_fields(body, False))))

    def _userconfig_patch(self, req, id):
        config = self._find("userconfigs", id)
        body = as_object(req.body)
        reject_fields(body, ("name", "content"), ("id", "kind"))
        config.update(self._userconfig_fields(body, True), modified=self.emu.clock.now())
        return Response(200, self._userconfig(config))

    def _userconfig_delete(self, req, id):
        config = self._find("userconfigs", id)
        for node in self.state["nodes"].values():
            for key in ("user_data", "meta_data"):
                if node[key] == config["id"]:
                    node[key] = None
        del self.state["userconfigs"][config["id"]]
        return Response(204)
