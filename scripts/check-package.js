#!/usr/bin/env node
// Checks the npm tarball that `package:js` wrote to dist/js: what a user installs from npm.
// Fails when the jsii assembly, the compiled library or the docs are missing, or when build output leaked in.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, '..', 'dist', 'js');
const tarballs = fs.readdirSync(dir).filter((f) => f.endsWith('.tgz'));
if (tarballs.length !== 1) {
  throw new Error(`expected one tarball in ${dir}, found ${tarballs.length}: ${tarballs.join(', ')}`);
}
const tarball = path.join(dir, tarballs[0]);
const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));

const problems = [];
for (const required of ['.jsii', 'lib/index.js', 'lib/index.d.ts', 'API.md', 'README.md', 'LICENSE', 'package.json']) {
  if (!files.includes(required)) problems.push(`missing ${required}`);
}
for (const f of files) {
  if (/(^|\/)(cdk\.out|coverage|test-reports|node_modules|test|example|src)\//.test(f) || /\.tgz$/.test(f)) {
    problems.push(`must not ship ${f}`);
  }
}

const pkg = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
const assembly = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/.jsii'], { encoding: 'utf8' }));
if (assembly.version !== pkg.version) problems.push(`.jsii version ${assembly.version} != package.json version ${pkg.version}`);
for (const peer of ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-27']) {
  if (!pkg.peerDependencies?.[peer]) problems.push(`${peer} must be a peer dependency`);
  if (pkg.dependencies?.[peer] || (pkg.bundledDependencies ?? []).includes(peer)) problems.push(`${peer} must not be bundled or a dependency`);
}

if (problems.length > 0) {
  console.error(`${path.basename(tarball)}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${path.basename(tarball)}: ${files.length} files; .jsii ${assembly.version}; peers ok; no build output`);
