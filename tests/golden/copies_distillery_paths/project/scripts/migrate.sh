#!/bin/sh
$RELEASE_ROOT_DIR/bin/ledger command Elixir.Ledger.Release migrate
