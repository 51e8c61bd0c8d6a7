#!/usr/bin/env python3
"""Validates SARIF files against the official SARIF 2.1.0 JSON schema (draft-07).

Usage: validate-sarif.py SCHEMA FILE...   Exit status 1 when a file is invalid.
"""
import json
import sys

import jsonschema


def main() -> int:
    schema_path, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    failed = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for error in errors[:10]:
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{path}: {where}: {error.message}")
        if errors:
            failed += 1
        elif not log["runs"][0]["results"]:
            print(f"{path}: valid, but has no results to validate")
            failed += 1
        else:
            print(f"{path}: valid SARIF 2.1.0 ({len(log['runs'][0]['results'])} results)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
