#!/bin/sh
release_ctl eval --mfa "Ledger.Release.migrate/0"
