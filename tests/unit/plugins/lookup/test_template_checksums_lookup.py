# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The template_checksums lookup's copy of the variables (its checksums against files written by the
template module are tested end to end in tests/render/test_paths_to_change.py)."""

from __future__ import annotations

import copy

from ansible_collections.vigil.observability.plugins.lookup.template_checksums import _CopiedShallow


def test_the_copy_for_each_template_is_shallow_as_the_template_actions():
    shared = _CopiedShallow({"nested": {"ports": [1]}, "name": "x"})
    copied = copy.deepcopy(shared)
    assert copied == shared and copied is not shared and not isinstance(copied, _CopiedShallow)
    assert copied["nested"] is shared["nested"]
    copied["item"] = {"src": "a.j2"}
    copied.update(template_path="a.j2")
    assert "item" not in shared and "template_path" not in shared
