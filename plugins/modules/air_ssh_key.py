#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: air_ssh_key
short_description: Manage an SSH public key of the NVIDIA Air account
version_added: 0.1.0
description:
  - Registers a public key with the account, so new simulations accept it, or removes it.
  - The key is found by O(name). Air never shows a key again, only its fingerprint
    (base64 SHA-256); the module compares the fingerprint of O(public_key) with it.
  - Air cannot change a key; a different key under the same name is deleted and created
    anew (shown in C(--diff) as the two fingerprints).
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the key.
    type: str
    required: true
  public_key:
    description:
      - The OpenSSH public key (C(ssh-ed25519 AAAA... comment)); the comment is not compared.
      - Required to create a key.
    type: str
extends_documentation_fragment:
  - statecraft.infra.air
  - statecraft.infra.resource
"""

EXAMPLES = r"""
- name: Register the CI runner's key
  statecraft.infra.air_ssh_key:
    name: ci-runner
    public_key: "{{ lookup('ansible.builtin.file', 'files/ci_runner.pub') }}"

- name: Remove it
  statecraft.infra.air_ssh_key:
    name: ci-runner
    state: absent
"""

RETURN = r"""
ssh_key:
  description:
    - The key after the task (in check mode, as predicted). Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 2a1d1c4e-0000-4000-8000-000000000003
    name: ci-runner
    fingerprint: 4fnmVxqjDnTqNk0wGkqOaJ8oFvP0M9vXh2dQz3cH5xk=
"""

from ansible_collections.statecraft.infra.plugins.module_utils._air import AIR
from ansible_collections.statecraft.infra.plugins.module_utils._air_resources import ssh_fingerprint
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module
from ansible_collections.statecraft.infra.plugins.module_utils._spec import Field, Resource

RESOURCE = Resource(
    name="ssh_key",
    path="v1/sshkey",
    platform=AIR,
    identity=("name",),
    fields=dict(
        name=Field(required=True),
        public_key=Field(read_key="fingerprint", canonical=ssh_fingerprint, replace=True,
                         clearable=False, required_on_create=True),
    ),
)


def main():
    run_module(RESOURCE)


if __name__ == "__main__":
    main()
