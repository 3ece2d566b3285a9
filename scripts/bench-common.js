// Shared by the two benchmark apps (scripts/bench-app-*.js). Requires aws-cdk-lib only, so the hand-written app
// loads nothing the construct would not also load. Inputs come from the environment, set by scripts/bench.js:
//   BENCH_N        number of session bindings (one ClusterRoleBinding each)
//   BENCH_OUTDIR   the cloud assembly directory
//   CDK_VALIDATION 'false' turns aws-cdk-lib's built-in CloudFormation validation off (read by aws-cdk-lib itself)
// The app prints one line `BENCH_RESULT {...}` with its own timings after synthesis, and one line
// `BENCH_EXIT {...}` at exit with the CPU time of all its threads and its peak memory (read at exit, since the peak can
// come after synthesis).
const { performance } = require('perf_hooks');
const started = performance.now(); // ms since the process started: Node's own bootstrap
const { App, Stack } = require('aws-cdk-lib');
const eks = require('aws-cdk-lib/aws-eks');
const iam = require('aws-cdk-lib/aws-iam');

const ACCOUNT = '111122223333';

/** The trust policy's session-name pattern: every benchmark session name matches it. */
const SESSION_PATTERN = '*@example.com';

/** The session names of a benchmark of `n` bindings: one per person, as the issue describes. */
function sessionNames(n) {
  return Array.from({ length: n }, (_, i) => `person-${String(i).padStart(4, '0')}@example.com`);
}

/** The same surroundings for both apps: a stack, an imported cluster that can run kubectl, and the agent's role. */
function surroundings() {
  const app = new App({ outdir: process.env.BENCH_OUTDIR });
  const stack = new Stack(app, 'Bench', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
    clusterName: 'bench-cluster',
    kubectlRoleArn: `arn:aws:iam::${ACCOUNT}:role/kubectl`,
  });
  const agentRole = new iam.Role(stack, 'AgentRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  return { app, stack, cluster, agentRole };
}

/** Synthesizes the app and reports the phases, measured inside the process, and the process's peak RSS. */
function synthAndReport(app, marks) {
  const constructed = performance.now();
  app.synth();
  const synthesized = performance.now();
  const result = {
    bootMs: started,
    loadMs: marks.loaded - started,
    constructMs: constructed - marks.loaded,
    synthMs: synthesized - constructed,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

process.on('exit', () => {
  const usage = process.resourceUsage();
  const exit = { exitMs: performance.now(), cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS };
  process.stdout.write(`BENCH_EXIT ${JSON.stringify(exit)}\n`);
});

module.exports = { SESSION_PATTERN, performance, sessionNames, surroundings, synthAndReport };
