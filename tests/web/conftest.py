"""The portal runs in the API's app: the same node, keys and subject file fixtures."""

from tests.api.conftest import client, key_for, node_settings, node_store, subject_file

__all__ = ["client", "key_for", "node_settings", "node_store", "subject_file"]
