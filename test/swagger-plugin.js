// Lets ts-jest apply the same @nestjs/swagger compiler plugin that `nest build` applies, so the
// OpenAPI document under test is the one production serves.
const plugin = require('@nestjs/swagger/plugin');

module.exports = {
  name: 'nestjs-swagger-transformer',
  version: 1,
  factory: (compiler) =>
    plugin.before(
      {
        introspectComments: true,
        classValidatorShim: true,
        dtoFileNameSuffix: ['.dto.ts', '.response.ts'],
      },
      compiler.program,
    ),
};
