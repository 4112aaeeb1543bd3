/**
 * The global ValidationPipe, saying only which type a field must have when it has the wrong one:
 * `{"sessionId": 5}` gets "sessionId must be a string", not also "must be shorter than or equal to
 * 100 characters", a rule about strings that a number cannot meet or break.
 */
import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

const TYPE_RULES = new Set(['isString', 'isNumber', 'isInt', 'isBoolean', 'isArray', 'isObject', 'isDate']);

/** The error with only its type rules where one of them failed; its children likewise. */
export function typeRulesFirst(error: ValidationError): ValidationError {
  const constraints = error.constraints;
  const typeRules = Object.entries(constraints ?? {}).filter(([rule]) => TYPE_RULES.has(rule));
  return {
    ...error,
    constraints: typeRules.length ? Object.fromEntries(typeRules) : constraints,
    children: error.children?.map(typeRulesFirst),
  };
}

export class TypeFirstValidationPipe extends ValidationPipe {
  protected flattenValidationErrors(validationErrors: ValidationError[]): string[] {
    return super.flattenValidationErrors(validationErrors.map(typeRulesFirst));
  }
}
