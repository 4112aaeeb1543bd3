/**
 * Route ids are validated at the edge: an id that is not a UUID cannot name anything, so it is the
 * same 404 as an unknown one, and services never see (or regex-check) a malformed id.
 */
import { NotFoundException, type PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class UuidParam implements PipeTransform<string, string> {
  /** `what` names the thing in the 404 message ("document", "job"). */
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value))
      throw new NotFoundException(`${this.what} ${String(value).slice(0, 100)} not found`);
    return value;
  }
}
