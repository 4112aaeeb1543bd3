/**
 * Paging and search of a list endpoint (`?limit=&offset=&q=`). Lists answer the page as a JSON
 * array and the number of all matches in the X-Total-Count header; without `limit` the whole list
 * comes back, as it did before paging existed.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';

export const MAX_PAGE_SIZE = 200;

export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({ description: 'Case-insensitive substring search' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export interface ListPage<T> {
  items: T[];
  total: number;
}

/** A LIKE pattern matching `q` anywhere, with its own % and _ taken literally. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Sends a page: the items as the body, the count of all matches in X-Total-Count. */
export function sendPage<T>(res: Response, page: ListPage<T>): T[] {
  res.setHeader('X-Total-Count', String(page.total));
  return page.items;
}
