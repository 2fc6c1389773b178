#!/bin/sh
exec /app/bin/ledger ping
