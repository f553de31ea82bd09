// templates/dbx-mcp.schema.json is generated from the zod schema. Regenerate after changing
// src/manifest/schema.ts: UPDATE_SCHEMA=1 node test/run.mjs manifest/schema-file
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderManifestJsonSchema, manifestJsonSchema } from '../../helpers/manifest-json-schema.js';
import { ROOT } from '../../helpers/cli.js';

const FILE = join(ROOT, 'templates', 'dbx-mcp.schema.json');

test('the shipped JSON Schema equals the one generated from the zod schema', () => {
  const generated = renderManifestJsonSchema();
  if (process.env.UPDATE_SCHEMA === '1') writeFileSync(FILE, generated);
  assert.equal(readFileSync(FILE, 'utf8'), generated, 'templates/dbx-mcp.schema.json is stale: run UPDATE_SCHEMA=1 node test/run.mjs manifest/schema-file');
});

test('the JSON Schema says what editors need: required fields, server types, no extra keys', () => {
  const s = manifestJsonSchema() as {
    required: string[];
    additionalProperties: boolean;
    properties: { servers: { items: { oneOf: { properties: { type: { const: string } }; required: string[] }[] } } };
  };
  assert.deepEqual(s.required, ['version', 'workspace', 'servers']);
  assert.equal(s.additionalProperties, false);
  const types = s.properties.servers.items.oneOf.map((o) => [o.properties.type.const, o.required]);
  assert.deepEqual(types, [
    ['genie', ['type', 'space_id']],
    ['vector-search', ['type', 'target']],
    ['functions', ['type', 'target']],
    ['sql', ['type']],
    ['external', ['type', 'connection']],
    ['mcp-service', ['type', 'service']],
    ['app', ['type', 'app']],
  ]);
  // Every pattern is a valid ECMAScript regex with the unicode flag (what Ajv and VS Code use).
  const patterns = JSON.stringify(s).match(/"pattern":"((?:[^"\\]|\\.)*)"/g) ?? [];
  assert.ok(patterns.length >= 6);
  for (const p of patterns) new RegExp(JSON.parse(p.slice('"pattern":'.length)) as string, 'u');
});
