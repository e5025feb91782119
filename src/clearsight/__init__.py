"""Clearsight: spot the signs of child criminal exploitation sooner, share them, act in time."""
