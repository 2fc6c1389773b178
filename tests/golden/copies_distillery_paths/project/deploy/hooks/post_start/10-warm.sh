#!/bin/sh
echo post-start
