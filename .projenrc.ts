import { awscdk, javascript } from 'projen';

// Quiets jsii's banner about the node version on every task that runs jsii.
const JSII_NODE_ENV = { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-eks-access-role',
  description:
    'AWS CDK construct that lets an access gateway reach EKS through a dedicated IAM role: trust, AssumeRole permission, ' +
    'EKS access entry and Kubernetes RBAC bindings (cdk8s) in one typed, validated place.',
  author: 'cdk-eks-access-role developers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/cdk-eks-access-role/cdk-eks-access-role.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  keywords: ['awscdk', 'cdk', 'eks', 'cdk8s', 'rbac', 'kubernetes', 'iam', 'access-entry', 'hoop'],
  stability: 'experimental',

  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',

  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',

  // cdk8s objects cross the package boundary (the chart is part of our API), so users and we must share one copy.
  peerDeps: ['cdk8s@^2.70.106', 'cdk8s-plus-27@^2.9.5'],
  devDeps: [
    '@aws-cdk/lambda-layer-kubectl-v36',
    'aws-cdk@^2',
    'cdk-nag@^3',
    '@cloud-copilot/iam-simulate',
    'kubernetes-models@^4',
  ],

  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: { include: ['example/**/*.ts', '.projenrc.ts'], compilerOptions: {} },
  typecheckTests: true,
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Synthesis of stacks with a kubectl layer is slow on two cores; keep the default timeout generous.
      testTimeout: 60_000,
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/test/.out/'],
    },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'example', '.projenrc.ts'], projectService: false, tsconfigPath: './tsconfig.dev.json' },

  publishToPypi: { distName: 'cdk-eks-access-role', module: 'cdk_eks_access_role' },
  publishToMaven: {
    javaPackage: 'io.github.cdkeksaccessrole',
    mavenGroupId: 'io.github.cdk-eks-access-role',
    mavenArtifactId: 'cdk-eks-access-role',
  },
  publishToNuget: { dotNetNamespace: 'CdkEksAccessRole', packageId: 'CdkEksAccessRole' },
  publishToGo: { moduleName: 'github.com/cdk-eks-access-role/cdk-eks-access-role-go', packageName: 'cdkeksaccessrole' },

  gitignore: ['.jsii.tabl.json', 'cdk.out/', '/test/.out/', '/example/cdk.out/', '*.tgz'],
});

for (const pattern of ['/example/', '/docs/', '/.ci/', 'cdk.out/', '/scripts/', '/tsconfig.dev.json']) {
  project.npmignore?.exclude(pattern);
}

for (const name of ['compile', 'docgen', 'package:js', 'package-all', 'test']) {
  project.tasks.tryFind(name)?.env('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
}

// `build` packages only the npm target, with or without CI set: the Python, Java, .NET and Go targets need toolchains
// and registries a new machine may lack. `package-all` still builds every target for a release.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);
project.packageTask.exec('node scripts/check-package.js', { name: 'Check the npm tarball' });

// A user's app installs the tarball (not the source) next to its own cdk8s and peers, compiles and synthesizes.
const consumerTest = project.addTask('consumer-test', {
  description: 'Installs dist/js/*.tgz into a temp CDK app with its own peers, compiles test/consumer/app.ts and synthesizes it',
  exec: 'node scripts/consumer-test.js',
});
project.packageTask.spawn(consumerTest);
// The consumer app imports the published package name: only scripts/consumer-test.js compiles it, in its temp dir.
project.tsconfigDev.addExclude('test/consumer');
project.eslint?.addIgnorePattern('test/consumer/');

// README examples must compile: jsii-rosetta extracts and type-checks every `ts` fence in strict mode.
const rosetta = project.addTask('rosetta', {
  description: 'Compiles the README examples with jsii-rosetta (strict)',
  env: JSII_NODE_ENV,
  exec: 'jsii-rosetta extract --strict --compile --fail',
});
project.postCompileTask.spawn(rosetta);

// The example app: synthesizes offline and prints where the template and the manifests are.
project.addTask('example', {
  description: 'Synthesizes the example app into example/cdk.out and prints where the outputs landed',
  env: { ...JSII_NODE_ENV, CDK_DISABLE_VERSION_CHECK: 'true' },
  exec: 'ts-node --transpile-only --project tsconfig.dev.json example/main.ts',
  receiveArgs: true,
});

// Synth benchmark against hand-written aws-cdk-lib; writes docs/benchmarks.md. Options: see scripts/bench.js.
project.addTask('bench', {
  description: 'Benchmarks synthesis of EksAccessRole against the same resources written by hand',
  env: { CDK_DISABLE_VERSION_CHECK: 'true' },
  exec: 'node scripts/bench.js',
  receiveArgs: true,
});

project.synth();
