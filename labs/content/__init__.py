"""Lab content: the lab file format (`lab_format`), self-test cases (`cases`) and the sync
into Lab rows (`sync`). `sync_content` finds the labs through `labs.content.sync_labs`."""

from .sync import containers_unavailable_reason, load_labs, sync_labs

__all__ = ["containers_unavailable_reason", "load_labs", "sync_labs"]
