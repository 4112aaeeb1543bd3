/**
 * Refuses, with a 400 naming the field, text PostgreSQL cannot store or that is not Unicode: a NUL
 * character or a lone UTF-16 surrogate anywhere in a body, query or route parameter. Other
 * characters (RTL marks, zero-width joiners, emoji) are ordinary text and pass. Runs before the
 * ValidationPipe, for every route, so no DTO can forget it.
 */
import { BadRequestException, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_DEPTH = 32;

/** Why `text` cannot be accepted, or undefined when it can. */
export function unsafeTextReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

function check(value: unknown, path: string, depth: number): void {
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    if (reason) throw new BadRequestException(`${path || 'value'} ${reason}`);
    return;
  }
  if (!value || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) throw new BadRequestException('request body is nested too deeply');
  if (Array.isArray(value)) return value.forEach((v, i) => check(v, `${path}[${i}]`, depth + 1));
  if (Buffer.isBuffer(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const reason = unsafeTextReason(key);
    if (reason) throw new BadRequestException(`a field name ${reason}`);
    check(v, path ? `${path}.${key}` : key, depth + 1);
  }
}

export class SafeTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param')
      check(value, metadata.type === 'param' ? (metadata.data ?? 'parameter') : (metadata.data ?? ''), 0);
    return value;
  }
}
