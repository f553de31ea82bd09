#!/usr/bin/env node
// Shim: everything lives in the bundle. Kept tiny so `--version` costs one import.
import '../dist/cli.js';
