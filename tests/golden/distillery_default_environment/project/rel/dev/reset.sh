#!/bin/sh
release_ctl eval --mfa "Ledger.Release.reset/0"
