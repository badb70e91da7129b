// Schema names end up inside SQL text (identifiers cannot be bind parameters), so they are checked
// against a conservative pattern once, here, instead of being escaped ad hoc at every call site.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,49}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _ (at most 50, not starting with a digit)`);
  }
  return schema;
}

/** `"schema".table`, after checking the schema name. */
export function qualified(schema: string, table: string): string {
  return `"${assertSchemaName(schema)}".${table}`;
}

/** The NOTIFY channel appends wake the relay on. Channels are identifiers: max 63 bytes, fine for ≤ 50. */
export function eventsChannel(schema: string): string {
  return `${assertSchemaName(schema)}_events`;
}
