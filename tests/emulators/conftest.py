# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the emulator tests.

- ``air_server``: one AirEmulator per session on 127.0.0.1, ephemeral port
- ``emu``: that emulator, reset (seed state, empty log, no faults or redirects, clock back to now)
- ``air``: NVIDIA's v1 SDK (``air_sdk.AirApi``) logged in with the seed account's API token
- ``air2``: NVIDIA's v2 SDK (``air_sdk.v2.AirApi``), same credentials
- ``cyclecloud_server``: one CycleCloudEmulator per session on 127.0.0.1, ephemeral port, DEFAULT_FIXTURE
- ``cc``: that emulator, reset (seed state, no pending failures, empty log, no faults or redirects, clock back to now)
- ``airbyte_server``: one AirbyteEmulator per session on 127.0.0.1, ephemeral port, DEFAULT_FIXTURE
- ``ab``: that emulator, reset (seed state, empty log and validation_errors, no faults, redirects or pending job
  failures, token_lifetime and job_seconds back to their defaults, clock back to now)
- ``cloudcix_server``: one CloudcixEmulator per session on 127.0.0.1, ephemeral port, DEFAULT_FIXTURE
- ``cx``: that emulator, reset (seed state, no tokens or pending failures, empty log, no faults or redirects, clock
  back to now)
"""

from __future__ import annotations

import pytest

from air_emulator import AirEmulator
from airbyte_emulator import AirbyteEmulator
from cloudcix_emulator import CloudcixEmulator
from cyclecloud_emulator import CycleCloudEmulator


@pytest.fixture(scope="session")
def air_server():
    emulator = AirEmulator(host="127.0.0.1", port=0).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def emu(air_server):
    air_server.reset()
    return air_server


@pytest.fixture
def air(emu):
    from air_sdk import AirApi
    return AirApi(username=emu.username, password=emu.api_token, api_url=emu.url + "/api/")


@pytest.fixture
def air2(emu):
    from air_sdk.v2 import AirApi
    return AirApi(api_url=emu.url + "/api/", username=emu.username, password=emu.api_token)


@pytest.fixture(scope="session")
def cyclecloud_server():
    emulator = CycleCloudEmulator(host="127.0.0.1", port=0).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def cc(cyclecloud_server):
    cyclecloud_server.reset()
    return cyclecloud_server


@pytest.fixture(scope="session")
def airbyte_server():
    emulator = AirbyteEmulator(host="127.0.0.1", port=0).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def ab(airbyte_server):
    airbyte_server.reset()
    return airbyte_server


@pytest.fixture(scope="session")
def cloudcix_server():
    emulator = CloudcixEmulator(host="127.0.0.1", port=0).start()
    yield emulator
    emulator.stop()


@pytest.fixture
def cx(cloudcix_server):
    cloudcix_server.reset()
    return cloudcix_server
