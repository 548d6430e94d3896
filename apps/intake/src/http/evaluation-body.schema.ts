import { z } from 'zod';
import { CanonicalEvaluationSchema } from '@jixiao/contracts';

/** The OpenAPI body of POST /evaluations, generated from the contract's zod schema so the two cannot drift apart. */
function evaluationJsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(CanonicalEvaluationSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return schema;
}

const previousVersionId = {
  type: 'string',
  description: 'evaluation id of the version this one corrects (the latest of its submission)',
};

export function evaluationBodySchema(): Record<string, unknown> {
  const evaluation = evaluationJsonSchema();
  const properties = (evaluation.properties ?? {}) as Record<string, unknown>;
  return {
    oneOf: [
      { ...evaluation, properties: { ...properties, previousVersionId } },
      {
        type: 'object',
        required: ['evaluations'],
        properties: { evaluations: { type: 'array', minItems: 1, items: evaluation }, previousVersionId },
      },
    ],
  };
}
