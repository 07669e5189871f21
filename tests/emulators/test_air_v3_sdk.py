# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""nv-air-sdk 1.9.0, unchanged, against the emulator's v3 API (air_v3_emulator.py): every
call the collection makes on ``api_version: v3``, made the SDK's way.

nv-air-sdk installs the same top-level package as air-sdk (``air_sdk``), so the two cannot
share site-packages: ``make venv`` puts nv-air-sdk in ``$(VENV)/nv-air-sdk`` and the
``nv_air`` fixture swaps it in for one test, then puts air-sdk back.
"""

from __future__ import annotations

import os
import sys

import pytest

from air_v3_emulator import DEFAULT_NGC_API_KEY

NV_AIR_SDK = os.path.join(os.path.dirname(sys.executable), os.pardir, "nv-air-sdk")
PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE8m6Zfh4Ui0Nkd2dF1x1b3fQ7m3z9a2cTqU3hVj4Xq+ "
              "ops@example.com")
TOPOLOGY = {"nodes": {"leaf01": {"os": "cumulus-vx-5.10.1", "cpu": 2}, "server01": {"os": "generic/ubuntu2204"}},
            "links": [[{"node": "leaf01", "interface": "swp1"}, {"node": "server01", "interface": "eth1"}],
                      [{"node": "server01", "interface": "eth0"}, "exit"]],
            "oob": False}
DOT = 'graph "dot-lab" { "a" [os="generic/ubuntu2204"] "b" [os="generic/ubuntu2204"] "a":"eth1" -- "b":"eth1" }'


def _air_sdk_modules():
    return dict((name, module) for name, module in sys.modules.items()
                if name == "air_sdk" or name.startswith("air_sdk."))


@pytest.fixture
def nv_air():
    """The nv-air-sdk package ``air_sdk`` in place of air-sdk's for one test."""
    if not os.path.isdir(os.path.join(NV_AIR_SDK, "air_sdk")):
        pytest.fail("nv-air-sdk is not installed in %s: run make venv" % os.path.normpath(NV_AIR_SDK))
    saved = _air_sdk_modules()
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, NV_AIR_SDK)
    try:
        import air_sdk
        assert hasattr(air_sdk.AirApi, "with_api_key"), "air-sdk, not nv-air-sdk, was imported"
        yield air_sdk
    finally:
        sys.path.remove(NV_AIR_SDK)
        for name in _air_sdk_modules():
            del sys.modules[name]
        sys.modules.update(saved)


@pytest.fixture
def api(nv_air, emu):
    return nv_air.AirApi.with_api_key(api_key=DEFAULT_NGC_API_KEY, api_url=emu.url)


def _wait(emu, sim, state):
    emu.clock.advance(max(emu.load_seconds, emu.store_seconds, emu.v3.import_seconds) + 1)
    sim.refresh()
    assert sim.state == state


def test_key_is_the_bearer_token_no_login(nv_air, emu):
    """air.md A: the NGC key goes as Authorization: Bearer; no /login/ exchange."""
    api = nv_air.AirApi(api_url=emu.url, api_key=DEFAULT_NGC_API_KEY)
    assert list(api.simulations.list()) == []
    assert not any("login" in entry["path"] for entry in emu.log)
    assert all(entry["path"].startswith("/api/v3/") for entry in emu.log)
    with pytest.raises(nv_air.exceptions.AirUnexpectedResponse) as err:
        list(nv_air.AirApi.with_api_key(api_key="nvapi-wrong", api_url=emu.url).simulations.list())
    assert err.value.status_code == 401


def test_simulation_life_cycle(api, emu):
    """create, list by name, get, update, start, shutdown, rebuild, delete (N:endpoints/simulations.py)."""
    sim = api.simulations.create(name="blank", documentation="doc")
    assert (sim.name, sim.state, sim.creator) == ("blank", "INACTIVE", emu.username)
    assert [s.id for s in api.simulations.list(name="blank")] == [sim.id]
    sim.update(name="renamed", metadata='{"a": 1}', sleep_at=None)
    got = api.simulations.get(sim.id)
    assert (got.name, got.metadata, got.sleep_at) == ("renamed", '{"a": 1}', None)
    imported = api.simulations.import_from_data(name="lab", format="JSON", content=TOPOLOGY)
    assert imported.state == "IMPORTING" and imported.auto_oob_enabled is False
    _wait(emu, imported, "INACTIVE")
    imported.start()
    assert emu.writes()[-1]["method"] == "PATCH" and emu.writes()[-1]["path"].endswith("/start/")
    _wait(emu, imported, "ACTIVE")
    imported.rebuild()
    _wait(emu, imported, "ACTIVE")
    imported.shutdown()
    _wait(emu, imported, "INACTIVE")
    imported.delete()
    with pytest.raises(Exception) as err:
        api.simulations.get(imported.id)
    assert err.value.status_code == 404


def test_import_dot_and_clone(api, emu):
    sim = api.simulations.import_from_dot(topology_data=DOT, name="dot-lab")
    assert sorted(n.name for n in sim.nodes.list()) == ["a", "b"]
    clone = sim.clone(name="copy")
    assert clone.name == "copy" and sorted(n.name for n in clone.nodes.list()) == ["a", "b"]
    assert len(list(clone.links.list())) == 1


def test_nodes_interfaces_links(api, emu):
    sim = api.simulations.create(name="built")
    image = next(i["id"] for i in emu.state["images"].values() if i["name"] == "generic/ubuntu2204")
    a = api.nodes.create(simulation=sim.id, name="a", image=image)
    b = api.nodes.create(simulation=sim.id, name="b", image=image, cpu=2)
    assert [n.name for n in sim.nodes.list(name="a")] == ["a"]
    api.nodes.update(node=a.id, name="a1")
    assert api.nodes.get(a.id).name == "a1"
    ia = api.interfaces.create(node=a.id, name="eth1")
    ib = api.interfaces.create(node=b.id, name="eth1")
    assert [i.name for i in api.interfaces.list(node=a.id)] == ["eth1"]
    link = api.links.create(interfaces=[ia.id, ib.id])
    assert [lk.id for lk in sim.links.list()] == [link.id]
    assert api.interfaces.get(ia.id).connection.id == ib.id
    api.links.delete(link.id)
    assert list(sim.links.list()) == []
    api.nodes.delete(b.id)
    assert [n.name for n in sim.nodes.list()] == ["a1"]


def test_services_immutable(api, emu):
    """N:endpoints/services.py: node_port, worker_port, worker_fqdn; no PATCH."""
    sim = api.simulations.import_from_data(name="svc", format="JSON", content=TOPOLOGY)
    service = sim.create_service(name="ssh", node_name="server01", interface_name="eth0", node_port=22,
                                 service_type="ssh")
    assert service.node_port == 22 and service.worker_fqdn and service.worker_port
    assert [s.name for s in sim.services.list()] == ["ssh"]
    assert api.services.get(service.id).interface.name == "eth0"
    api.services.delete(service.id)
    assert list(sim.services.list()) == []


def test_images(api, emu):
    """What a node's image id names (the inventory's air_os)."""
    image = next(api.images.list(name="cumulus-vx-5.10.1"))
    assert image.version == "5.10.1" and image.minimum_resources.cpu == 2
    sim = api.simulations.import_from_data(name="img", format="JSON", content=TOPOLOGY)
    assert next(sim.nodes.list(name="leaf01")).image.name == "cumulus-vx-5.10.1"


def test_ssh_keys(api, emu):
    key = api.ssh_keys.create(name="ops", public_key=PUBLIC_KEY)
    assert len(key.fingerprint) == 44
    assert [k.name for k in api.ssh_keys.list()] == ["ops"]
    api.ssh_keys.delete(key.id)
    assert list(api.ssh_keys.list()) == []


def test_user_configs_and_cloud_init(api, emu):
    """user configs CRUD (content lazy in lists); cloud-init through bulk-assign (N:bc/cloud_init.py)."""
    config = api.user_configs.create(name="init", kind="cloud-init-user-data", content="#cloud-config\n")
    listed = next(api.user_configs.list(name="init"))
    assert listed.content == "#cloud-config\n"  # the SDK reads a lazy field's detail
    api.user_configs.update(user_config=config.id, content="#cloud-config\nx: 1\n")
    assert api.user_configs.get(config.id).content.endswith("x: 1\n")
    sim = api.simulations.import_from_data(name="ci", format="JSON", content=TOPOLOGY)
    node = next(sim.nodes.list(name="server01"))
    sim.node_bulk_assign(nodes=[{"node": node.id, "user_data": config.id}])
    assert emu.writes()[-1]["path"] == "/api/v3/simulations/nodes/bulk-assign/"
    with pytest.warns(DeprecationWarning):  # the v2 reading, kept by the SDK's BC layer
        cloud_init = api.cloud_inits.get(node.id)
    assert cloud_init.user_data.id == config.id and cloud_init.user_data_name == "init"
    sim.node_bulk_assign(nodes=[{"node": node.id, "user_data": None}])
    assert api.client.get(api.nodes.url + node.id + "/").json()["cloud_init"]["user_data"] is None
    config.delete()
    assert list(api.user_configs.list()) == []


def test_pages_follow_next(api, emu):
    for n in range(3):
        api.simulations.create(name="s%d" % n)
    api.client.pagination_page_size = 2
    assert sorted(s.name for s in api.simulations.list()) == ["s0", "s1", "s2"]
    assert any(entry["query"].get("offset") == "2" for entry in emu.log)


def test_v3_is_apart_from_v1_auth_and_actions_are_patch(emu):
    """air.md A: v3 takes the NGC key and no v1 bearer token (and v1 not the key); start,
    shutdown and rebuild are PATCH, so a v2-style POST is refused."""
    import requests

    v1_token = emu.issue_token(emu.username)
    v3 = emu.url + "/api/v3/simulations/"
    assert requests.get(v3, headers={"Authorization": "Bearer " + v1_token}).status_code == 401
    assert requests.get(emu.url + "/api/v1/simulation/",
                        headers={"Authorization": "Bearer " + DEFAULT_NGC_API_KEY}).status_code == 403
    key = {"Authorization": "Bearer " + DEFAULT_NGC_API_KEY}
    sim = requests.post(v3, json={"name": "x"}, headers=key).json()
    assert requests.post(v3 + sim["id"] + "/start/", headers=key).status_code == 405
    assert requests.patch(v3 + sim["id"] + "/start/", json={}, headers=key).json()["state"] == "BOOTING"
    assert requests.patch(v3 + sim["id"] + "/start/", json={}, headers=key).status_code == 400  # not INACTIVE
    assert requests.delete(v3 + sim["id"] + "/", json={}, headers=key).status_code == 204
    assert requests.get(emu.url + "/api/v1/simulation/", headers={"Authorization": "Bearer " + v1_token}).json() == []
