import { LoginStreamError } from '@login-stream/errors';

/** `--map target=source`: the input field `source` is sent as `target`. */
export interface FieldMapping {
  readonly target: string;
  readonly source: string;
}

/** Parses `target=source` pairs, several separated by commas. */
export function parseFieldMappings(text: string): FieldMapping[] {
  return text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const match = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(pair);
      if (match === null) throw new Error(`"${pair}" is not target=source`);
      return { target: match[1], source: match[2] };
    });
}

/**
 * Builds the renaming for a list of mappings. Records without any source field, and values
 * that are not objects, come back as the same value, so callers can tell nothing changed.
 * A renamed field keeps its position; an input field already named like a target gives way.
 */
export function fieldRenamer(mappings: readonly FieldMapping[]): (record: unknown) => unknown {
  const targetOf = new Map(mappings.map(({ target, source }) => [source, target]));
  const sourceOf = new Map(mappings.map(({ target, source }) => [target, source]));
  if (targetOf.size !== mappings.length || sourceOf.size !== mappings.length) {
    throw new LoginStreamError('CONFIG_INVALID', 'a field is mapped twice, as source or as target', { details: { mappings } });
  }

  return (record) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
    const fields = Object.entries(record);
    if (!fields.some(([field]) => targetOf.has(field))) return record;
    const present = new Set(fields.map(([field]) => field));
    const renamed: [string, unknown][] = [];
    for (const [field, value] of fields) {
      const target = targetOf.get(field);
      const shadowedBy = sourceOf.get(field);
      if (target !== undefined) renamed.push([target, value]);
      else if (shadowedBy === undefined || !present.has(shadowedBy)) renamed.push([field, value]);
    }
    // fromEntries defines own properties, so a field named __proto__ stays a field.
    return Object.fromEntries(renamed);
  };
}
