"""Scanned pledges leave no orphan files: a deleted pledge (directly or with its supporter)
removes its scan once the transaction commits."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from peers.models import Pledge


def remove_scan_later(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Pledge, dispatch_uid="peers_pledge_scan_cleanup")
def delete_pledge_scan(sender, instance: Pledge, **kwargs) -> None:
    remove_scan_later(instance.scan.storage, instance.scan.name)
