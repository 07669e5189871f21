#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudcix_resource_info
short_description: Read objects of any CloudCIX service
version_added: 0.1.0
description:
  - Lists the objects of a service (every page), with CloudCIX's search, exclude and order;
    or reads one by O(pk); or only tells whether it exists (HTTP HEAD).
  - CloudCIX skips list filters it does not know and says so only in the answer's metadata;
    those notices are returned in RV(metadata_warnings) and shown as warnings.
author:
  - statecraft.infra team (@statecraft)
options:
  pk:
    description:
      - Read this object only.
      - An object of another Address fails the task, with CloudCIX's HTTP 403 and its error
        code, since it exists (RV(exists) false would be untrue).
    type: raw
  exists_only:
    description:
      - With O(pk), only ask whether the object exists (HTTP HEAD); RV(objects) stays empty.
      - CloudCIX answers HEAD with 404 also for an object of another Address, so RV(exists) is
        false for it too; read it (without O(exists_only)) to tell the two apart.
    type: bool
    default: false
  search:
    description:
      - "C(search[...]) filters, for example C({name__icontains: web, state__in: [running, stopped]})."
      - "String fields take the operators C(in), C(icontains), C(iendswith), C(iexact) and
        C(istartswith) (and none, an exact match); CloudCIX skips others (C(contains),
        C(startswith), ...) with a notice in RV(metadata_warnings)."
    type: dict
  exclude:
    description:
      - C(exclude[...]) filters, the same way.
    type: dict
  order:
    description:
      - Field to order by, V(-name) for descending.
    type: str
extends_documentation_fragment:
  - statecraft.infra.cloudcix
  - statecraft.infra.cloudcix.service
  - statecraft.infra.info
"""

EXAMPLES = r"""
- name: Running instances of a project, newest first
  statecraft.infra.cloudcix_resource_info:
    application: compute
    service: compute/instances
    search: {project_id: 12, state: running}
    order: -created
  register: running
"""

RETURN = r"""
objects:
  description: The objects found (one with O(pk)).
  returned: always
  type: list
  elements: dict
exists:
  description: With O(pk), whether the object exists.
  returned: when O(pk) is given
  type: bool
metadata_warnings:
  description: What CloudCIX said it skipped (unknown filters, for example).
  returned: when listing
  type: list
  elements: str
"""

from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix import CLOUDCIX, service_options
from ansible_collections.statecraft.infra.plugins.module_utils._cloudcix_tasks import info
from ansible_collections.statecraft.infra.plugins.module_utils._module import run_info

OPTIONS = dict(
    service_options(),
    pk=dict(type="raw"),
    exists_only=dict(type="bool", default=False),
    search=dict(type="dict"),
    exclude=dict(type="dict"),
    order=dict(type="str"),
)


def main():
    run_info(CLOUDCIX, OPTIONS, info)


if __name__ == "__main__":
    main()
