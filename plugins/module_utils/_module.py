# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The only place that talks to ``AnsibleModule``: argument spec in, ``exit_json`` out.

A module runs here in one of two ways, with the same code from ``AnsibleModule`` on:
as a module on its target (a new Python per task), or in the controller's worker process
when the task's connection is local (``plugins/action/in_process.py`` sets ``HOST`` for
the duration of the run). In the controller, the loop items of a task share one adapter
per connection (session, login, related objects already resolved).
"""

from __future__ import absolute_import, division, print_function

import copy
import json
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.statecraft.infra.plugins.module_utils._connection import canonical_params
from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError, ensure
from ansible_collections.statecraft.infra.plugins.module_utils._http import (
    REQUESTS_IMPORT_ERROR,
    ApiError,
    scrub,
    secret_values,
    shown_url,
)

# set by the in-process action plugin while it runs a module in the controller (None when
# the module runs on its own): what the run needs from the controller, see InProcessHost
HOST = None


class InProcessHost(object):
    """The controller side of a module run in the worker process: the prepared arguments
    in, the result out, a way to show progress, and the adapters the task's loop items share."""

    def __init__(self, scope, progress):
        self.scope = scope  # (task, host): adapters are never shared beyond it
        self.progress = progress
        self.args = None
        self.result = None
        self.quiet = False  # no progress lines (a no_log task)
        self.task_vars = None  # of the latest run: the same again is an until: retry
        self.adapters = {}

    def forget(self):
        """The task runs again (``until:``): its adapters look everything up anew."""
        for adapter in self.adapters.values():
            adapter.forget()

    def module_class(self):
        host = self

        class InProcessModule(AnsibleModule):
            def _load_params(self):
                self.params = copy.deepcopy(host.args)  # AnsibleModule changes what it is given

            def _record_module_result(self, o):
                host.result = o

        return InProcessModule

    def adapter(self, platform, params, connection_options):
        """One adapter per platform and connection options, kept for the task's later items."""
        key = json.dumps([platform.name] + [params.get(n) for n in connection_options], sort_keys=True, default=str)
        if key not in self.adapters:
            self.adapters[key] = platform.adapter_class.from_params(params)
        return self.adapters[key]


def canonical_names(module_class):
    """``module_class`` reading each option under one name (see ``_connection``)."""
    class CanonicalNames(module_class):
        def _load_params(self):
            super(CanonicalNames, self)._load_params()
            self.params = canonical_params(self.params, self.argument_spec)

    return CanonicalNames


def _run(platform, options, work, **module_kwargs):
    """Build the module, connect, run ``work(module, adapter) -> result``, exit."""
    argument_spec = platform.connection_argspec()
    connection_options = sorted(argument_spec)
    argument_spec.update(options)
    module_class = canonical_names(HOST.module_class() if HOST is not None else AnsibleModule)
    module = module_class(argument_spec=argument_spec, supports_check_mode=True, **module_kwargs)
    if REQUESTS_IMPORT_ERROR is not None:
        module.fail_json(msg=missing_required_lib("requests"), exception=traceback.format_exception_only(
            type(REQUESTS_IMPORT_ERROR), REQUESTS_IMPORT_ERROR)[-1])
    secrets = [module.params[n] for n, s in argument_spec.items() if s.get("no_log") and module.params.get(n)]
    # secrets nested in dict options (a VPN's pre-shared key, a connector's password) are
    # masked like no_log options: in the invocation, the result and any message
    nested = secret_values(dict((n, module.params.get(n)) for n, s in argument_spec.items()
                                if s.get("type") in ("dict", "list", "raw", "json")))
    nested += platform.adapter_class.option_secrets(module.params)
    module.no_log_values.update(nested)
    secrets += nested
    adapter = None
    blank = sorted(n for n, s in argument_spec.items() if s.get("required") and s.get("type", "str") == "str"
                   and isinstance(module.params.get(n), str) and not module.params[n].strip())
    if blank:
        module.fail_json(msg="%s: an empty value; this option needs one" % ", ".join(blank))
    adapter_class = platform.adapter_class
    try:
        adapter_class.check_connection(module.params)
    except ValueError as exc:
        module.fail_json(msg=scrub(str(exc), secrets))
    try:
        if HOST is not None:
            adapter = HOST.adapter(platform, module.params, connection_options)
            adapter.progress = HOST.progress
        else:
            adapter = adapter_class.from_params(module.params)
            adapter.progress = module.log  # a module's output is read only at its end
        adapter.begin(module.params)
        if adapter.client.verify is False:
            module.warn("validate_certs is false: the server's TLS certificate is not verified, so "
                        "credentials and data can reach whoever answers at %s" % shown_url(adapter.client.base_url))
        result = work(module, adapter)
    except (ModuleError, ApiError) as exc:
        if adapter is not None:
            secrets += adapter.client.secrets()
        message = str(exc)
        if getattr(exc, "uncertain", False):
            message += ("; the request was sent before the connection failed, so the server may have "
                        "carried it out: check before running the task again")
        module.fail_json(msg=scrub(message, secrets), **getattr(exc, "result", {}))
    for warning in result.pop("warnings", []):
        module.warn(warning)
    module.exit_json(**result)


def run_module(resource, finish=None):
    """Run one resource module: validate, ensure, exit. Everything else lives below.
    ``finish(params, result, check_mode)`` may reshape the result (a generated key kept in
    a file instead of the output)."""
    def work(module, adapter):
        result = ensure(resource, module.params, adapter, check_mode=module.check_mode,
                        want_diff=module._diff)
        return finish(module.params, result, module.check_mode) if finish else result
    _run(resource.platform, resource.argument_spec(), work,
         mutually_exclusive=resource.mutually_exclusive)


def run_task(platform, options, task, **module_kwargs):
    """Run a module that is one platform task: ``task(adapter, params, check_mode, want_diff)``
    returns the result (the CycleCloud modules: actions on a cluster rather than records)."""
    def work(module, adapter):
        return task(adapter, module.params, module.check_mode, module._diff)
    _run(platform, options, work, **module_kwargs)


def run_info(platform, options, collect):
    """Run one info module: ``collect(adapter, params)`` returns what it found."""
    def work(module, adapter):
        result = collect(adapter, module.params)
        result["changed"] = False
        return result
    _run(platform, options, work)
