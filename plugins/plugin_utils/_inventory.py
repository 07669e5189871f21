# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the collection's inventory plugins share: the platform's connection options read
the way its modules read them (option, else the same environment variables), one adapter
from module_utils for every request, Ansible's inventory cache, the ``constructed``
features (``compose``, ``groups``, ``keyed_groups``, ``strict``), and errors that name the
option and never show a secret.

A platform's plugin declares its adapter and connection argument spec and implements
``read_inventory(adapter)``, returning plain data (so the cache can keep it)::

    {"hosts": [{"name": "leaf1", "vars": {...}, "groups": ["role_leaf", ...]}, ...],
     "children": [["location_europe", "location_dc1"], ...]}   # (parent, child) groups
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import os

from ansible.config.manager import ensure_type
from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.statecraft.infra.plugins.module_utils._engine import ModuleError
from ansible_collections.statecraft.infra.plugins.module_utils._http import REQUESTS_IMPORT_ERROR, ApiError, scrub


def connection_params(get_option, argspec):
    """The connection options as the platform's modules see them: the plugin's option, else
    the first environment variable of the option's ``fallback``, converted to its type."""
    params = {}
    for name, spec in argspec.items():
        value = get_option(name)
        fallback = spec.get("fallback")
        if value is None and fallback:
            value = next((os.environ[var] for var in fallback[1] if os.environ.get(var)), None)
            if value is not None:
                try:
                    value = ensure_type(value, spec.get("type", "str"))
                except (ValueError, TypeError) as exc:
                    raise ValueError("%s: %r from the environment is not a %s (%s)" % (
                        name, value, spec.get("type", "str"), exc))
        params[name] = value
    return params


class PlatformInventory(BaseInventoryPlugin, Constructable, Cacheable):
    """Base of the collection's inventory plugins (see the module docstring)."""

    platform = None  # file names end with "<platform>.yml" or "<platform>.yaml"
    adapter_class = None  # the platform's adapter (module_utils)
    connection_argspec = None  # the platform's connection_argspec function

    def verify_file(self, path):
        suffixes = tuple("%s.%s" % (self.platform, ext) for ext in ("yml", "yaml"))
        return super(PlatformInventory, self).verify_file(path) and path.endswith(suffixes)

    def check_params(self, params):
        """Raise ValueError naming the option when the connection cannot work (a missing
        credential): before any request."""

    def read_inventory(self, adapter):
        raise NotImplementedError

    def parse(self, inventory, loader, path, cache=True):
        super(PlatformInventory, self).parse(inventory, loader, path, cache)
        # Ansible ignores a key that names no option: a misspelt filter would choose everything
        unknown = unknown_options(self._read_config_data(path), self._options, self.option_aliases())
        if unknown:
            raise AnsibleParserError("%s inventory: unknown option %s (see ansible-doc -t inventory statecraft.infra.%s)"
                                     % (self.platform, ", ".join(unknown), self.platform))
        key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        update_cache = self.get_option("cache") and not cache
        data = None
        if use_cache:
            try:
                data = self._cache[key]
            except KeyError:
                update_cache = True
        if data is None:
            data = self.read()
        if update_cache:
            self._cache[key] = data
        self.populate(data)

    def option_aliases(self):
        """The other names of the plugin's options (``api_url`` for ``url``)."""
        from ansible import constants as C

        definitions = C.config.get_configuration_definitions("inventory", self._load_name) or {}
        return [alias for definition in definitions.values() for alias in definition.get("aliases") or []]

    def read(self):
        if REQUESTS_IMPORT_ERROR is not None:
            raise AnsibleParserError("the %s inventory needs the Python library requests on the controller"
                                     % self.platform)
        argspec = type(self).connection_argspec()
        secrets = []
        adapter = None
        try:
            params = connection_params(self.get_option, argspec)
            secrets = [params[name] for name, spec in argspec.items() if spec.get("no_log") and params.get(name)]
            self.check_params(params)
            self.adapter_class.check_connection(params)
            adapter = self.adapter_class.from_params(params)
            return self.read_inventory(adapter)
        except (ValueError, ModuleError, ApiError) as exc:
            if adapter is not None:
                secrets += adapter.client.secrets()
            raise AnsibleParserError("%s inventory: %s" % (self.platform, scrub(str(exc), [str(s) for s in secrets])))

    def populate(self, data):
        strict = self.get_option("strict")
        for parent, child in data.get("children", []):
            self.inventory.add_group(parent)
            self.inventory.add_group(child)
            self.inventory.add_child(parent, child)
        for host in data["hosts"]:
            name = host["name"]
            self.inventory.add_host(name)
            for group in host.get("groups", []):
                self.inventory.add_group(group)
                self.inventory.add_child(group, name)
            for var, value in host.get("vars", {}).items():
                # the platform's data is never templated (ansible-core 2.19 trusts no plugin
                # value anyway; before it, a "{{ ... }}" in a description would run)
                self.inventory.set_variable(name, var, wrap_var(value))
            hostvars = self.inventory.get_host(name).get_vars()
            self._set_composite_vars(self.get_option("compose"), hostvars, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), hostvars, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, name, strict=strict)


def unknown_options(config, options, aliases=()):
    """The keys of an inventory file that name no option (nor an alias of one), each with the
    option it may mean."""
    found = []
    for name in sorted(set(config) - set(options) - set(aliases)):
        close = difflib.get_close_matches(name, list(options), 1)
        found.append("%s (did you mean %s?)" % (name, close[0]) if close else name)
    return found


def group_name(*parts):
    """A group name from its parts (``role``, ``leaf``): what Ansible accepts as one
    (letters, digits and underscores)."""
    from ansible.inventory.group import to_safe_group_name

    return to_safe_group_name("_".join(str(p) for p in parts if p not in (None, "")).lower(),
                              force=True, silent=True)


def check_unique_names(hosts, describe, hint):
    """Raise ValueError when two hosts would have one name: Ansible would make them one host,
    the variables of the second over the first's. ``describe(host)`` tells them apart in the
    message; ``hint`` says how to name them apart."""
    by_name = {}
    for host in hosts:
        by_name.setdefault(host["name"], []).append(host)
    clashes = ["%s (%s)" % (name, ", ".join(describe(h) for h in same))
               for name, same in sorted(by_name.items()) if len(same) > 1]
    if clashes:
        raise ValueError("two or more machines would be one host: %s; %s" % ("; ".join(clashes), hint))


def preferred_address(choice, public, private):
    """``ansible_host`` for the ``address`` option: the public address where the machine has
    one and ``choice`` is ``public``, else the private one."""
    return public if choice == "public" and public else private
