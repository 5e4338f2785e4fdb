/** A record header's value as kafkajs hands it over: one value, several, or none. */
export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** The first value of header `name` as text; undefined when the record lacks it. */
export function headerText(headers: Readonly<Record<string, HeaderValue>> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return (Array.isArray(value) ? value[0] : value)?.toString();
}
