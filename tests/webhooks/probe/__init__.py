"""A test-only app loaded by the worker processes of the recovery tests (worker_settings).

Its ``webhook_received`` receiver writes one row per processing of a delivery, inside the
processing transaction: a processing that rolls back (a killed worker, a lost connection)
leaves no row, and a delivery processed twice leaves two. Counting rows counts the side
effects a host app would see.
"""
