import type { z } from 'zod';

/** A wire event: a versioned name, the zod schema of its payload and an example payload (checked by a unit test). */
export interface EventDefinition<N extends string = string, S extends z.ZodType = z.ZodType> {
  readonly name: N;
  readonly schema: S;
  readonly example: z.output<S>;
}

export function defineEvent<const N extends string, S extends z.ZodType>(
  name: N,
  schema: S,
  example: z.output<S>,
): EventDefinition<N, S> {
  return { name, schema, example };
}
