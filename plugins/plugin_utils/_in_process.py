# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The action every module of the collection runs through (``meta/runtime.yml`` routes
them here): a task whose connection is local runs the module's code in the controller's
worker process, with no module launch; any other task (a remote host, ``async``, ``become``)
runs the module on its target as usual.

Both paths go through the same ``AnsibleModule``: arguments are encoded and decoded as
for a module, the environment is the task's ``environment:`` over the controller's, and the
result is decoded as a module's output is. What differs is only that nothing is launched,
and that the loop items of a task share one adapter per connection (HTTP session, login,
related objects already resolved; see ``module_utils/_module.py``).
"""

from __future__ import absolute_import, division, print_function

import importlib
import json
import os
import sys
import traceback

from ansible import constants as C
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash
from ansible.vars.clean import remove_internal_keys

try:  # ansible-core 2.19.1+: module results can be taken without printing them
    from ansible.module_utils.basic import AnsibleModule
    from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
    IN_PROCESS_SUPPORTED = hasattr(AnsibleModule, "_record_module_result")
except ImportError:
    IN_PROCESS_SUPPORTED = False

from ansible_collections.statecraft.infra.plugins.module_utils import _module
from ansible_collections.statecraft.infra.plugins.module_utils._connection import canonical_params
from ansible_collections.statecraft.infra.plugins.module_utils._http import REQUESTS_IMPORT_ERROR


def connection_argspec(module_name):
    """The connection options of the module's platform (``air_simulation``: Air's)."""
    platform = module_name.rsplit(".", 1)[-1].split("_", 1)[0]
    try:
        return importlib.import_module(UTILS + platform).connection_argspec()
    except (ImportError, AttributeError):  # not a platform's module: its names are left as given
        return {}


display = Display()
PROFILE = "legacy"  # the serialization profile of the collection's modules
SWITCH = "statecraft_infra_in_process"  # a variable: false runs every task as a module
MODULES = "ansible_collections.statecraft.infra.plugins.modules."
UTILS = "ansible_collections.statecraft.infra.plugins.module_utils._"
HOSTS = {}  # (task, host) -> InProcessHost: what the loop items of one task share


class ModuleAction(ActionBase):
    """Runs a module of the collection. Subclasses may ``prepare(args)`` first (read a
    file on the controller) and return a failure message instead."""

    _supports_check_mode = True
    _supports_async = True

    def prepare(self, args):
        return None

    def run(self, tmp=None, task_vars=None):
        result = super(ModuleAction, self).run(tmp, task_vars)
        task_vars = task_vars or {}
        module_name = self._task.resolved_action or self._task.action
        args = canonical_params(dict(self._task.args), connection_argspec(module_name), self.default_names(module_name))
        failure = self.prepare(args)
        if failure:
            result.update(failed=True, msg=failure)
            return result
        if self.in_process(task_vars):
            result.update(self.run_in_process(module_name, args, task_vars))
            return result
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(module_name=module_name, module_args=args,
                                                         task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def default_names(self, module_name):
        """The options ``module_defaults`` gave the task: a connection option the task names
        itself wins over its old name set for the whole play (and the other way round)."""
        try:
            from ansible.executor.module_common import _get_action_arg_defaults

            return set(_get_action_arg_defaults(module_name, self._task, self._templar._engine))
        except Exception:  # an ansible-core without it: AnsibleModule resolves the names as before
            return set()

    def in_process(self, task_vars):
        """True when a module launch would only run the same code on this machine: a local
        connection, no ``async`` or ``become``, no other Python named for the task, and the
        controller's Python has requests."""
        if not IN_PROCESS_SUPPORTED or REQUESTS_IMPORT_ERROR is not None:
            return False
        if getattr(self._connection, "transport", None) != "local":
            return False
        if self._task.async_val or self._play_context.become:
            return False
        if self.other_interpreter(task_vars):
            return False
        switch = task_vars.get(SWITCH, True)
        return boolean(self._templar.template(switch), strict=False)

    def other_interpreter(self, task_vars):
        """True when the task names a Python other than the controller's: the module runs
        with that one, and its libraries, as the user asked (auto discovery does not count)."""
        variables = task_vars
        if self._task.delegate_to:
            variables = (task_vars.get("ansible_delegated_vars") or {}).get(self._task.delegate_to, task_vars)
        chosen = variables.get("ansible_python_interpreter")
        if chosen is None:
            chosen = C.config.get_config_value("INTERPRETER_PYTHON", variables=variables)
        chosen = to_text(self._templar.template(chosen) or "")
        if not chosen or chosen.startswith("auto"):
            return False
        return os.path.abspath(os.path.expanduser(chosen)) != sys.executable

    def run_in_process(self, module_name, args, task_vars):
        self._update_module_args(module_name, args, task_vars)
        host = self.host(task_vars)
        # an until: retry is run with the same task variables (a loop item with its own):
        # what the earlier attempt looked up may have changed since
        if task_vars is host.task_vars:
            host.forget()
        host.task_vars = task_vars  # held, so no other item's variables take its place
        host.quiet = bool(self._play_context.no_log)  # a no_log task shows no progress either
        host.args = json.loads(json.dumps(args, cls=get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE)),
                               cls=get_module_decoder(PROFILE, Direction.CONTROLLER_TO_MODULE))
        host.result = None
        environment = {}
        self._compute_environment_string(environment)
        saved = dict((name, os.environ.get(name)) for name in environment)
        os.environ.update((name, to_text(value)) for name, value in environment.items())
        _module.HOST = host
        try:
            importlib.import_module(MODULES + module_name.rsplit(".", 1)[-1]).main()
        except SystemExit:
            pass
        except Exception as exc:  # a module bug: reported as a module's crash would be
            return {"failed": True, "msg": "MODULE FAILURE: %s: %s" % (type(exc).__name__, exc),
                    "exception": traceback.format_exc()}
        finally:
            _module.HOST = None
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        if host.result is None:
            return {"failed": True, "msg": "MODULE FAILURE: %s ended without a result" % module_name}
        # decoded as a module's output is, so both paths return the same values
        output = json.dumps(host.result, cls=get_module_encoder(PROFILE, Direction.MODULE_TO_CONTROLLER))
        data = self._parse_returned_data({"stdout": output, "stderr": "", "rc": 0}, PROFILE)
        remove_internal_keys(data)
        return data

    def host(self, task_vars):
        """The controller side of the run, kept for the loop items of the same task and host."""
        name = task_vars.get("inventory_hostname")
        scope = (self._task._uuid, name)
        current = HOSTS.get(scope)
        if current is None:
            HOSTS.clear()  # a worker serves one task and host; never share further
            short = self._task.action.rsplit(".", 1)[-1]

            def progress(message):
                if not current.quiet:
                    display.display("[%s] %s: %s" % (name, short, message))

            current = HOSTS[scope] = _module.InProcessHost(scope, progress)
        return current
