// Benchmark app (a): the bindings through EksAccessRole. BENCH_LIB points at the compiled library (scripts/bench.js
// compiles src/ once with tsc, so no TypeScript compilation is measured).
const { SESSION_PATTERN, performance, sessionNames, surroundings, synthAndReport } = require('./bench-common');
const { Agent, EksAccessRole, KubernetesClusterRole, SessionNameRestriction } = require(process.env.BENCH_LIB);
const loaded = performance.now();

const { app, stack, cluster, agentRole } = surroundings();
new EksAccessRole(stack, 'Access', {
  cluster,
  agents: [Agent.fromRole(agentRole)],
  // One session per person: a pattern, since 1,000 names do not fit in a trust policy.
  sessionNames: SessionNameRestriction.matching(SESSION_PATTERN),
  bindings: sessionNames(Number(process.env.BENCH_N)).map((sessionName) => ({ sessionName, clusterRoles: [KubernetesClusterRole.VIEW] })),
});

synthAndReport(app, { loaded });
