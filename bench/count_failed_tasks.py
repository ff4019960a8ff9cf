#!/usr/bin/env python3
"""Counts failed task ends in a plain event log with the standard library only.

The baseline an operator would write: json.loads every line, keep SparkListenerTaskEnd events
whose Task End Reason is not Success. Prints the count.
"""
import json
import sys

failed = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        if not line.strip():
            continue
        e = json.loads(line)
        if e.get("Event") == "SparkListenerTaskEnd" and e["Task End Reason"]["Reason"] != "Success":
            failed += 1
print(failed)
