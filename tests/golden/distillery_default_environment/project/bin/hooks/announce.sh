#!/bin/sh
echo "starting $RELEASE_NAME"
