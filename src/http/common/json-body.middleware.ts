/**
 * Request bodies must be JSON objects. A body sent as a form (curl -d without
 * `-H 'content-type: application/json'`) would otherwise reach validation as one
 * odd form field and be refused with a confusing reason; this says what is wrong.
 */
import { BadRequestException, Injectable, NestMiddleware, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (hasBody && !request.is(['application/json', '+json'])) {
      throw new UnsupportedMediaTypeException('send the request body as JSON, with Content-Type: application/json');
    }
    if (Array.isArray(request.body)) throw new BadRequestException('the request body must be a JSON object, not an array');
    next();
  }
}
