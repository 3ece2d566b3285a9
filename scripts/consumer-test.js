#!/usr/bin/env node
// Installs the npm tarball that `package:js` wrote to dist/js into a fresh app in a temp dir, next to that app's own
// aws-cdk-lib, constructs, cdk8s and cdk8s-plus-27; compiles test/consumer/app.ts against the packed type definitions
// and synthesizes it. That is what a user gets from `npm install cdk-eks-access-role`, not what the source tree does.
// Fails unless the library shares the app's copy of each peer and the manifest holds both the construct's binding and
// an object the app added to the construct's chart with its own cdk8s-plus-27. The temp dir is removed afterwards
// (set KEEP_CONSUMER_DIR=1 to keep it for a look).
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const PEERS = ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-27'];
const started = Date.now();
const root = path.join(__dirname, '..');
const distDir = path.join(root, 'dist', 'js');
const tarballs = fs.readdirSync(distDir).filter((f) => f.endsWith('.tgz'));
if (tarballs.length !== 1) {
  throw new Error(`expected one tarball in ${distDir}, found ${tarballs.length}: ${tarballs.join(', ')}`);
}
const tarball = path.join(distDir, tarballs[0]);
const installedVersion = (name) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-eks-access-role-consumer-'));
const problems = [];
try {
  // The app: its own peers at the versions this repository builds with, so npm finds them in its cache.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'cdk-eks-access-role-consumer',
    private: true,
    dependencies: {
      'cdk-eks-access-role': `file:${tarball}`,
      ...Object.fromEntries(PEERS.map((peer) => [peer, installedVersion(peer)])),
    },
  }, undefined, 2));
  for (const file of ['app.ts', 'tsconfig.json']) {
    fs.copyFileSync(path.join(root, 'test', 'consumer', file), path.join(dir, file));
  }
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });

  // The library comes from the tarball, and resolves every peer to the app's copy: one cdk8s, one aws-cdk-lib.
  const libDir = path.join(dir, 'node_modules', 'cdk-eks-access-role');
  for (const expected of ['.jsii', 'lib/index.js', 'lib/index.d.ts']) {
    if (!fs.existsSync(path.join(libDir, expected))) problems.push(`the installed package has no ${expected}`);
  }
  if (fs.existsSync(path.join(libDir, 'src'))) problems.push('the installed package holds src/: it was not installed from the tarball');
  for (const peer of PEERS) {
    const fromLib = require.resolve(`${peer}/package.json`, { paths: [libDir] });
    const fromApp = require.resolve(`${peer}/package.json`, { paths: [dir] });
    if (fromLib !== fromApp) problems.push(`the library resolves ${peer} to ${fromLib}, the app to ${fromApp}: two copies`);
  }

  // Compile against the packed .d.ts files (the repository's TypeScript, the app's node_modules), then synthesize.
  run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.json'], { cwd: dir });
  const outdir = path.join(dir, 'cdk.out');
  run(process.execPath, [path.join('dist', 'app.js')], { cwd: dir, env: { ...process.env, CDK_OUTDIR: outdir } });

  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ConsumerStack.template.json'), 'utf8'));
  const objects = Object.values(template.Resources)
    .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
    .flatMap((r) => (typeof r.Properties.Manifest === 'string' ? JSON.parse(r.Properties.Manifest) : []));
  const binding = objects.find((o) => o.kind === 'ClusterRoleBinding' && o.subjects?.[0]?.name === 'eks-access-role:developers');
  if (!binding) problems.push('the manifest holds no ClusterRoleBinding for eks-access-role:developers');
  if (binding && binding.roleRef?.name !== 'view') problems.push(`the binding references ${JSON.stringify(binding.roleRef)}, not ClusterRole view`);
  if (!objects.some((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'gateway-settings')) {
    problems.push('the manifest lacks the ConfigMap the app added to access.chart with its own cdk8s-plus-27');
  }
  if (template.Resources && !Object.values(template.Resources).some((r) => r.Type === 'AWS::EKS::AccessEntry')) {
    problems.push('the template holds no AWS::EKS::AccessEntry');
  }

  if (problems.length > 0) {
    console.error(`consumer app with ${path.basename(tarball)}:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`consumer app with ${path.basename(tarball)}: one copy of each peer; ${objects.length} Kubernetes objects synthesized (${seconds} s)`);
  }
} finally {
  if (process.env.KEEP_CONSUMER_DIR) {
    console.log(`kept ${dir}`);
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(command, args, options) {
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 5 * 60_000, ...options });
}
