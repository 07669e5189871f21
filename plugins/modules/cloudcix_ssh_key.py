#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_ssh_key
short_description: Manage a CloudCIX SSH key
version_added: 0.1.0
description:
  - Creates or deletes an SSH key that instances name in C(metadata.ssh_key_names), found
    by O(name) among the keys of the user's address.
  - Without O(public_key), CloudCIX generates an Ed25519 key pair and shows its private
    key once, in the answer to the creation. The module returns it as RV(private_key), or
    writes it to O(private_key_path) and leaves it out of the result. Either way the task
    that creates the key is the only one that sees it.
author:
  - statecraft.infra team (@statecraft)
options:
  name:
    description:
      - Name of the key (unique among the address's keys; at most 50 characters).
    type: str
    required: true
  public_key:
    description:
      - An OpenSSH public key (V(ssh-ed25519 AAAA... comment)); compared without its
        comment.
      - CloudCIX cannot change the key of an existing name; a different one needs
        O(recreate=true), which deletes the key and creates it anew.
    type: str
  private_key_path:
    description:
      - Where to write the private key of a pair CloudCIX generates (mode 0600, on the host
        that runs the module). The key is then not in the result.
      - Nothing is written when the key exists already or O(public_key) is given.
    type: path
  recreate:
    description:
      - Allow deleting and creating the key again when O(public_key) differs.
    type: bool
    default: false
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.resource
notes:
  - "Without O(private_key_path), set C(no_log: true) on the task that may create a
    generated key, or its private key is shown in the output."
"""

EXAMPLES = r"""
- name: Upload my public key
  statecraft.infra.cloudcix_ssh_key:
    name: deploy
    public_key: "{{ lookup('file', '~/.ssh/id_ed25519.pub') }}"

- name: Let CloudCIX generate a pair; keep the private key in a file
  statecraft.infra.cloudcix_ssh_key:
    name: generated
    private_key_path: "{{ playbook_dir }}/generated.key"
"""

RETURN = r"""
ssh_key:
  description: The key as CloudCIX returns it, without a private key; empty after O(state=absent).
  returned: always
  type: dict
  sample: {id: 2, name: deploy, public_key: ssh-ed25519 AAAAC3Nza... deploy, address_id: 10}
private_key:
  description:
    - The private key of a pair CloudCIX generated in this task (OpenSSH format); empty
      otherwise, and when it was written to O(private_key_path).
  returned: always
  type: str
private_key_path:
  description: Where the private key was written.
  returned: when a generated key was written to O(private_key_path)
  type: str
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_resources import ssh_key_resource
from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_tasks import keep_private_key
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_module

RESOURCE = ssh_key_resource()


def main():
    run_module(RESOURCE, finish=keep_private_key)


if __name__ == "__main__":
    main()
