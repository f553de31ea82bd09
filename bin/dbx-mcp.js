#!/usr/bin/env node
// Shim: everything lives in the bundle. Kept tiny so `--version` costs one import. Node's module
// compile cache (22.1+; absent on Node 20) keeps the bundle's compiled code between runs: a
// client starts one proxy per server at every launch. Enabled before the bundle is imported.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/cli.js');
