# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The only place that talks to ``AnsibleModule``: argument spec in, ``exit_json`` out."""

from __future__ import absolute_import, division, print_function

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, ensure
from ansible_collections.statecraft.infra.plugins.module_utils._http import (
    REQUESTS_IMPORT_ERROR,
    ApiError,
    scrub,
)
from ansible_collections.statecraft.infra.plugins.module_utils import _nautobot

PLATFORMS = {
    "nautobot": (_nautobot.connection_argspec, _nautobot.NautobotAdapter),
}


def run_module(resource):
    """Run one resource module: validate, ensure, exit. Everything else lives below."""
    connection_spec, adapter_class = PLATFORMS[resource.platform]
    argument_spec = connection_spec()
    argument_spec.update(resource.argument_spec())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if REQUESTS_IMPORT_ERROR is not None:
        module.fail_json(msg=missing_required_lib("requests"), exception=traceback.format_exception_only(
            type(REQUESTS_IMPORT_ERROR), REQUESTS_IMPORT_ERROR)[-1])
    secrets = [module.params[n] for n, s in argument_spec.items() if s.get("no_log") and module.params.get(n)]
    adapter = None
    try:
        adapter = adapter_class.from_params(module.params)
        result = ensure(resource, module.params, adapter, check_mode=module.check_mode,
                        want_diff=module._diff)
    except (ModuleError, ApiError) as exc:
        if adapter is not None:
            secrets += adapter.client.secrets()
        module.fail_json(msg=scrub(str(exc), secrets))
    for warning in result.pop("warnings", []):
        module.warn(warning)
    module.exit_json(**result)
