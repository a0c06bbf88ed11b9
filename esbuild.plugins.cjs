'use strict';
// esbuild plugins for the Lambda bundles built by serverless-esbuild (serverless.yml custom.esbuild).
// CommonJS because serverless-esbuild loads this file with require().

const path = require('node:path');

/** Packages that only the local cloud may use; they must never ship inside a Lambda. */
const LOCAL_ONLY_PACKAGES = ['dynalite', 'aws-local-stepfunctions'];
const LOCAL_CLOUD_DIR = path.join(__dirname, 'src', 'local') + path.sep;

function isLocalOnlyPackage(specifier) {
  return LOCAL_ONLY_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

/**
 * Fails the build when production code reaches the local cloud (ARCHITECTURE §2: nothing in
 * production imports src/local). Failing loudly beats a 10 MB bundle that boots an emulator.
 */
function forbidLocalCloud() {
  return {
    name: 'stepcd-forbid-local-cloud',
    setup(build) {
      build.onResolve({ filter: /.*/ }, function forbidLocalCloudResolve(args) {
        if (args.kind === 'entry-point') return undefined;
        const importer = path.relative(__dirname, args.importer || '<entry>');
        if (isLocalOnlyPackage(args.path)) {
          return { errors: [{ text: `${importer} imports ${args.path}, which is for the local cloud only` }] };
        }
        if (args.path.startsWith('.') && args.resolveDir) {
          const target = path.resolve(args.resolveDir, args.path);
          if ((target + path.sep).startsWith(LOCAL_CLOUD_DIR) || target.startsWith(LOCAL_CLOUD_DIR)) {
            return { errors: [{ text: `${importer} imports ${args.path} (src/local): the local cloud must not ship in a Lambda` }] };
          }
        }
        return undefined;
      });
    },
  };
}

/**
 * Packages whose `node` export is a CommonJS build while their `default` export is the same code as
 * ES modules. esbuild (platform node) picks the `node` one; the ES build scope-hoists into the bundle
 * and tree-shakes, where CommonJS is kept whole and runs every file's wrapper at import. yaml 2's
 * ES build (its "browser" folder) differs only in warning through console.warn instead of
 * process.emitWarning (both end up in the function's log) and in no LOG_TOKENS/LOG_STREAM debugging.
 */
const ES_MODULE_BUILDS = ['yaml'];

/** The file a package's `exports["."].default` names, from its own package.json. */
function esModuleEntry(name) {
  const manifest = require.resolve(`${name}/package.json`, { paths: [__dirname] });
  const entry = require(manifest).exports?.['.']?.default;
  if (typeof entry !== 'string') throw new Error(`${name} has no exports["."].default to bundle as ES modules`);
  return path.join(path.dirname(manifest), entry);
}

/** Resolves the packages in ES_MODULE_BUILDS to their ES module builds (bare imports only, not subpaths). */
function preferEsModules(names = ES_MODULE_BUILDS) {
  const entries = new Map(names.map((name) => [name, esModuleEntry(name)]));
  return {
    name: 'stepcd-prefer-es-modules',
    setup(build) {
      const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
      build.onResolve({ filter: new RegExp(`^(?:${escaped.join('|')})$`) }, (args) => ({ path: entries.get(args.path) }));
    },
  };
}

/**
 * Resolves the SDK's default credential chain to src/aws/lambda-credentials.ts, which reads the
 * environment variables Lambda sets for the execution role: the chain's other sources never answer
 * in a Lambda, and they are about 100 kB of every bundle. The CLI and the local stack are not bundled
 * and keep the whole chain.
 */
function lambdaCredentialsFromEnv() {
  const target = path.join(__dirname, 'src', 'aws', 'lambda-credentials.ts');
  return {
    name: 'stepcd-lambda-credentials-from-env',
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: target }));
    },
  };
}

module.exports = [forbidLocalCloud(), preferEsModules(), lambdaCredentialsFromEnv()];
module.exports.forbidLocalCloud = forbidLocalCloud;
module.exports.preferEsModules = preferEsModules;
module.exports.lambdaCredentialsFromEnv = lambdaCredentialsFromEnv;
