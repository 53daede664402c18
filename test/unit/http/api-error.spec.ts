import { BadRequestException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { BrokerError, ErrorName } from '../../../src/broker/errors';
import { toApiError } from '../../../src/http/filters/api-error';

describe('toApiError', () => {
  it.each<[ErrorName, number, string]>([
    ['NOT_FOUND', 404, 'not_found'],
    ['ACCESS_REFUSED', 403, 'access_refused'],
    ['NOT_ALLOWED', 403, 'access_refused'],
    ['PRECONDITION_FAILED', 400, 'bad_request'],
    ['RESOURCE_LOCKED', 400, 'bad_request'],
    ['COMMAND_INVALID', 400, 'bad_request'],
    ['NOT_IMPLEMENTED', 400, 'bad_request'],
    ['INTERNAL_ERROR', 500, 'internal_error'],
  ])('maps the domain error %s to %i %s, with the explanation as the reason', (name, status, error) => {
    expect(toApiError(new BrokerError(name, "no queue 'q' in vhost '/'"))).toEqual({ status, body: { error, reason: "no queue 'q' in vhost '/'" } });
  });

  it("joins a validation error's messages into one reason", () => {
    const exception = new BadRequestException(['durable must be a boolean value', 'property x should not exist']);
    expect(toApiError(exception)).toEqual({ status: 400, body: { error: 'bad_request', reason: 'durable must be a boolean value; property x should not exist' } });
  });

  it("keeps Nest's own statuses and messages", () => {
    expect(toApiError(new NotFoundException('Cannot GET /api/x'))).toEqual({ status: 404, body: { error: 'not_found', reason: 'Cannot GET /api/x' } });
    expect(toApiError(new UnauthorizedException('Login failed'))).toEqual({ status: 401, body: { error: 'not_authorised', reason: 'Login failed' } });
  });

  it("maps body-parser's exposed client errors to their status", () => {
    const parseError = Object.assign(new SyntaxError('Unexpected end of JSON input'), { status: 400, expose: true, type: 'entity.parse.failed' });
    expect(toApiError(parseError)).toEqual({ status: 400, body: { error: 'bad_request', reason: 'Unexpected end of JSON input' } });
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    expect(toApiError(tooLarge)).toEqual({ status: 413, body: { error: 'payload_too_large', reason: 'request entity too large' } });
  });

  it('hides anything else behind a 500 without leaking its message', () => {
    expect(toApiError(new TypeError('secret internals'))).toEqual({ status: 500, body: { error: 'internal_error', reason: 'internal error' } });
    expect(toApiError(Object.assign(new Error('not for clients'), { status: 400 }))).toMatchObject({ status: 500 });
    expect(toApiError('a string')).toMatchObject({ status: 500 });
  });
});
