import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorResponse } from './filters/error.response';

/** A `200` whose body is a file (an image, a calendar, an SVG) rather than JSON. */
export function ApiFileResponse(...contentTypes: string[]) {
  return applyDecorators(
    ApiOkResponse({
      content: Object.fromEntries(
        contentTypes.map((type) => [
          type,
          {
            schema:
              type.startsWith('image/') && type !== 'image/svg+xml'
                ? { type: 'string', format: 'binary' }
                : { type: 'string' },
          },
        ]),
      ),
    }),
  );
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/**
 * Every error the API answers has one shape; the document says so once here rather than on each
 * route, and adds the `400` that validation answers to every route that takes input.
 */
export function describeErrors(document: OpenAPIObject): OpenAPIObject {
  const error = {
    'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) } },
  };
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation: Operation | undefined = path[method];
      if (!operation) continue;
      const takesInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody;
      if (takesInput && !operation.responses['400'])
        operation.responses['400'] = {
          description: 'The input is malformed; `message` names the field.',
        };
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response || Number(status) < 400 || '$ref' in response || response.content) continue;
        response.content = error;
      }
    }
  }
  return document;
}
