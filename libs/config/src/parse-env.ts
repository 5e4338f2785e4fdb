import { LoginStreamError } from '@login-stream/errors';
import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A variable is set when it has a value other than blanks: `FOO=` in a .env file means unset. */
export function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/**
 * Removes the variables that are not set (empty or blank) from `env`, for readers other than
 * parseEnv (command-line parsers that take defaults from the environment), so they agree with it.
 */
export function dropUnsetVariables(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) if (!isSet(value)) delete env[name];
}

/**
 * Parses environment variables with a zod shape whose keys are the variable names. A bad or
 * missing variable fails with a CONFIG_INVALID error that names every offending variable.
 * Empty strings count as unset, so `FOO=` in a .env file falls back to the default.
 */
export function parseEnv<S extends z.ZodRawShape>(shape: S, env: Env): Readonly<z.infer<z.ZodObject<S>>> {
  const present = Object.fromEntries(
    Object.keys(shape)
      .map((name) => [name, env[name]] as const)
      .filter(([, value]) => isSet(value)),
  );
  const result = z.object(shape).safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const shown = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      const got = shown === undefined ? 'unset' : `got "${shown}"`;
      return `${name}: ${issue.message} (${got})`;
    });
    throw new LoginStreamError('CONFIG_INVALID', `Invalid configuration: ${problems.join('; ')}`, {
      details: { variables: result.error.issues.map((i) => i.path.join('.')) },
    });
  }
  return deepFreeze(result.data);
}

export { deepFreeze };
