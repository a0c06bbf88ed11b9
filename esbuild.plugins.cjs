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

module.exports = [forbidLocalCloud()];
module.exports.forbidLocalCloud = forbidLocalCloud;
