/**
 * JSON Schema (draft-07) for the manifest, generated from the zod schema so the two cannot
 * drift (a unit test compares the result with templates/dbx-mcp.schema.json). A deliberately
 * small converter: it handles exactly the zod types the manifest uses and throws on anything
 * else, so a new field of an unsupported kind fails the test instead of vanishing.
 * Not imported at runtime by any command. zod-to-json-schema 3.25.2 was weighed: its output
 * differs from the shipped templates/dbx-mcp.schema.json (no $id/title/descriptions at the top,
 * other keywords), which editors read, so the shipped schema would change; this one stays.
 */
import type { ZodTypeAny } from 'zod';
import { MANIFEST_SCHEMA_URL, ManifestSchema } from '../../src/manifest/schema.js';

type Json = Record<string, unknown>;

interface Def {
  typeName: string;
  description?: string;
  [k: string]: unknown;
}

function convert(schema: ZodTypeAny): Json {
  const def = schema._def as Def;
  const out = convertDef(schema, def);
  return def.description ? { description: def.description, ...out } : out;
}

function convertDef(schema: ZodTypeAny, def: Def): Json {
  switch (def.typeName) {
    case 'ZodString': {
      const s: Json = { type: 'string' };
      for (const c of def.checks as { kind: string; regex?: RegExp; value?: number }[]) {
        if (c.kind === 'regex' && c.regex) s.pattern = c.regex.source;
        else if (c.kind === 'min') s.minLength = c.value;
        else throw new Error(`json-schema: unsupported string check ${c.kind}`);
      }
      return s;
    }
    case 'ZodNumber': {
      const s: Json = { type: 'number' };
      for (const c of def.checks as { kind: string; value?: number; inclusive?: boolean }[]) {
        if (c.kind === 'int') s.type = 'integer';
        else if (c.kind === 'min') s[c.inclusive ? 'minimum' : 'exclusiveMinimum'] = c.value;
        else if (c.kind === 'max') s[c.inclusive ? 'maximum' : 'exclusiveMaximum'] = c.value;
        else throw new Error(`json-schema: unsupported number check ${c.kind}`);
      }
      return s;
    }
    case 'ZodLiteral':
      return { const: def.value };
    case 'ZodEnum':
      return { type: 'string', enum: [...(def.values as string[])] };
    case 'ZodArray': {
      const s: Json = { type: 'array', items: convert(def.type as ZodTypeAny) };
      const min = def.minLength as { value: number } | null;
      if (min) s.minItems = min.value;
      return s;
    }
    case 'ZodRecord':
      return {
        type: 'object',
        propertyNames: convert(def.keyType as ZodTypeAny),
        additionalProperties: convert(def.valueType as ZodTypeAny),
      };
    case 'ZodDiscriminatedUnion':
      return { oneOf: (def.options as ZodTypeAny[]).map(convert) };
    case 'ZodObject': {
      const shape = (schema as unknown as { shape: Record<string, ZodTypeAny> }).shape;
      const properties: Json = {};
      const required: string[] = [];
      for (const [key, value] of Object.entries(shape)) {
        const vdef = value._def as Def;
        if (vdef.typeName === 'ZodOptional') {
          const inner = convert(vdef.innerType as ZodTypeAny);
          properties[key] = vdef.description ? { description: vdef.description, ...inner } : inner;
        } else {
          properties[key] = convert(value);
          required.push(key);
        }
      }
      return {
        type: 'object',
        properties,
        ...(required.length ? { required } : {}),
        ...(def.unknownKeys === 'strict' ? { additionalProperties: false } : {}),
      };
    }
    case 'ZodEffects':
      return convert(def.schema as ZodTypeAny);
    default:
      throw new Error(`json-schema: unsupported zod type ${def.typeName}`);
  }
}

/** The manifest's JSON Schema as an object. */
export function manifestJsonSchema(): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: MANIFEST_SCHEMA_URL,
    title: 'dbx-mcp team manifest (dbx-mcp.json)',
    description: 'The Databricks MCP servers a team uses. Never put a secret here: each developer signs in with their own Databricks profile. Generated from src/manifest/schema.ts.',
    ...convert(ManifestSchema),
  };
}

/** The text of templates/dbx-mcp.schema.json. */
export function renderManifestJsonSchema(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}
