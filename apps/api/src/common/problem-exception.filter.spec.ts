import { NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { ProblemExceptionFilter } from './problem-exception.filter';

describe('ProblemExceptionFilter.toProblem', () => {
  const filter = new ProblemExceptionFilter();

  it('never puts internal error text in a 500 body', () => {
    const body = filter.toProblem(new Error('relation "secret_table" does not exist at /srv/app/x.ts:12'));
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'internal server error',
    });
  });

  it('maps an unreachable database to 503 with a generic message, however the driver says it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    const wrapped = { message: 'Query failed', driverError: refused };
    const aggregate = Object.assign(new Error(''), { errors: [refused, refused] });
    for (const err of [
      refused,
      shutdown,
      wrapped,
      aggregate,
      new Error('Connection terminated unexpectedly'),
    ])
      expect(filter.toProblem(err)).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'the database is unavailable; try again shortly',
      });
  });

  it('keeps HTTP exceptions and turns a value PostgreSQL refuses into 400', () => {
    expect(filter.toProblem(new NotFoundException('FAQ entry x not found'))).toMatchObject({
      statusCode: 404,
    });
    const nul = {
      message: 'invalid byte sequence for encoding "UTF8": 0x00',
      driverError: { code: '22021' },
    };
    expect(filter.toProblem(nul)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'a value in the request cannot be stored',
    });
  });

  it('adds the code and values an exception was raised with, and nothing when it has none', () => {
    const refused = new UnsupportedMediaTypeException({
      message: 'faq.exe: ".exe" files are not supported; upload CSV or PDF.',
      code: 'unsupported_type',
      values: { file: 'faq.exe', extension: '.exe', supported: ['CSV', 'PDF'] },
    });
    expect(filter.toProblem(refused)).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'faq.exe: ".exe" files are not supported; upload CSV or PDF.',
      code: 'unsupported_type',
      values: { file: 'faq.exe', extension: '.exe', supported: ['CSV', 'PDF'] },
    });
    expect(filter.toProblem(new NotFoundException('job x not found'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'job x not found',
    });
  });
});
