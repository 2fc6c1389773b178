#!/bin/sh
echo pre-start
