import { PipeTransform } from '@nestjs/common';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { constraintMessage, FieldError, validationFailed } from './validation-errors';

/**
 * Strict, as the DTO pipe is: no type coercion, unknown fields refused rather than dropped, every
 * problem listed. Schemas are compiled once, when the controller module loads.
 */
const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false, removeAdditional: false, useDefaults: false });

/** ajv's keywords as the class-validator constraints whose Chinese wording they share. */
const TYPE_CONSTRAINT: Record<string, string> = {
  string: 'isString',
  integer: 'isInt',
  number: 'isNumber',
  boolean: 'isBoolean',
  array: 'isArray',
  object: 'isObject',
};
const KEYWORD_CONSTRAINT: Record<string, string> = {
  maxLength: 'maxLength',
  minLength: 'minLength',
  minimum: 'min',
  maximum: 'max',
  enum: 'isIn',
  pattern: 'matches',
  maxItems: 'arrayMaxSize',
  minItems: 'arrayMinSize',
};

function fieldError(e: ErrorObject): FieldError {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  const at = (name: string) => (path ? `${path}.${name}` : name);
  if (e.keyword === 'required')
    return { field: at(e.params.missingProperty), message: constraintMessage('isDefined', '') };
  if (e.keyword === 'additionalProperties')
    return { field: at(e.params.additionalProperty), message: constraintMessage('whitelistValidation', '') };
  const constraint = e.keyword === 'type' ? TYPE_CONSTRAINT[String(e.params.type)] : KEYWORD_CONSTRAINT[e.keyword];
  return { field: path || 'body', message: constraintMessage(constraint ?? '', String(e.params.limit ?? '')) };
}

/**
 * Validates a request body against a JSON schema with ajv (compiled code) instead of a class-validator
 * DTO, answering the same 400 VALIDATION_FAILED in Chinese, after the guards as any pipe.
 *
 * Why it exists: class-transformer + class-validator cost ~30 µs of CPU a request even for a
 * one-field body, a tenth of the self check-in, the one hot route (a whole cohort scans within the
 * same minute) and the one with a throughput target (bench/checkin). Everywhere else DTOs are the rule.
 * Give the controller parameter a plain interface type (metatype Object), so the global DTO pipe passes
 * the value through, and document the body with `@ApiBody({ schema })` from the same schema.
 */
export class JsonSchemaPipe<T> implements PipeTransform<unknown, T> {
  private readonly check: ValidateFunction<T>;

  constructor(schema: object) {
    this.check = ajv.compile<T>(schema);
  }

  transform(value: unknown): T {
    if (this.check(value)) return value;
    throw validationFailed((this.check.errors ?? []).map(fieldError));
  }
}
