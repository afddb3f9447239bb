const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// Nest 12 and a few of its dependencies ship only ES modules. The app itself is CommonJS and
// loads them through Node's require(esm); Jest's own module loader cannot, so those packages
// are compiled to CommonJS for the tests (and only those: everything else loads untouched).
function esmPackages() {
  const root = join(__dirname, 'node_modules');
  const names = [];
  for (const entry of readdirSync(root)) {
    const scoped = entry.startsWith('@') ? readdirSync(join(root, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of scoped) {
      try {
        if (JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')).type === 'module') names.push(name);
      } catch {
        // not a package folder
      }
    }
  }
  return names;
}

const esm = esmPackages().map((name) => name.replace(/[.+]/g, '\\$&'));
const tsJest = [
  'ts-jest',
  {
    tsconfig: {
      module: 'commonjs',
      moduleResolution: 'node10',
      rootDir: '.',
      types: ['node', 'jest'],
      jsx: 'react-jsx',
      jsxImportSource: 'preact',
    },
    astTransformers: {
      before: ['<rootDir>/test/swagger-plugin.js'],
    },
  },
];
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': tsJest,
    '^.+\\.m?js$': ['@swc/jest', { module: { type: 'commonjs' }, jsc: { target: 'es2022' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
};

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
