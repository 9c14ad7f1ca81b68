# -*- coding: utf-8 -*-
# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller cache of the collection, in one place: ``$XDG_CACHE_HOME/vigil.observability/...``."""

from __future__ import annotations

import os

from ansible.errors import AnsibleFilterError

NAMESPACE = "vigil.observability"


def cache_root(environ=None):
    """``$XDG_CACHE_HOME`` (when set and not empty) or ``$HOME/.cache``, plus the collection's name."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME") or ""
    if not base:
        home = environ.get("HOME") or os.path.expanduser("~")
        base = home.rstrip("/") + "/.cache"
    return base.rstrip("/") + "/" + NAMESPACE


def cache_dir(name, *parts):
    """The controller cache directory ``<root>/<name>/<part>/...`` (``name`` empty: the root itself)."""
    segments = [name] + list(parts) if name not in (None, "") else list(parts)
    if name in (None, "") and parts:
        raise AnsibleFilterError("cache_dir: the first part (the input) is empty but further parts were given: %r" % (parts,))
    clean = []
    for segment in segments:
        if not isinstance(segment, (str, int)) or isinstance(segment, bool):
            raise AnsibleFilterError("cache_dir: every part must be a string, got %r" % (segment,))
        text = str(segment).strip("/")
        if text == "" or any(piece in ("", ".", "..") for piece in text.split("/")):
            raise AnsibleFilterError("cache_dir: part %r is empty or leaves the cache ('.', '..', '//')" % (segment,))
        clean.append(text)
    return "/".join([cache_root()] + clean)
