# -*- coding: utf-8 -*-
# Copyright (c) statecraft.infra contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options given by their old names (``api_url`` for ``url``), and the message
for a connection option that has no value.

Every platform names its URL ``url`` and its token ``token``; the names used before stay as
aliases. ``AnsibleModule`` applies environment fallbacks before it resolves aliases, so an
option given only by its alias while the environment sets the option would be reported as
"both option and alias are set". Renaming the alias to its option first avoids that.
"""

from __future__ import absolute_import, division, print_function


def required_message(option, variable):
    """What a task without ``option`` (nor its environment variable) is told."""
    return "%s is required: set the %s option or the %s environment variable" % (option, option, variable)


def canonical_params(params, argument_spec, from_defaults=()):
    """``params`` with each option given by one name: an alias alone becomes its option; when
    the task gives one name and ``module_defaults`` (``from_defaults``, the names it set)
    another, the task's wins. Names given twice by the same source are left for
    ``AnsibleModule`` to warn about."""
    params = dict(params)
    for option, spec in argument_spec.items():
        names = [n for n in [option] + list(spec.get("aliases") or []) if n in params]
        own = [n for n in names if n not in from_defaults]
        if len(names) > 1 and own:
            for name in names:
                if name not in own:
                    del params[name]
            names = own
        if len(names) == 1 and names[0] != option:
            params[option] = params.pop(names[0])
    return params
