import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Agent, EksAccessRole, EksAccessRoleProps, KubernetesClusterRole } from '../src';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'us-east-1';
export const AGENT_ARN = `arn:aws:iam::${ACCOUNT}:role/agent-runtime`;

const outdirs: string[] = [];

/**
 * A fresh App writing to a temp folder that `cleanOutdirs()` removes: synthesizing a kubectl layer copies tens of MB.
 * aws-cdk-lib's CloudFormation validation is off unless a test asks for it (it costs ~1.5 s a synth).
 */
export function newApp(options: { validation?: boolean } = {}): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-eks-access-role-test-'));
  outdirs.push(outdir);
  return new App({ outdir, builtinCloudFormationValidation: options.validation ?? false });
}

export function cleanOutdirs(): void {
  for (const dir of outdirs.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

afterAll(cleanOutdirs);

/** A stack in a known account, with a cluster imported by name and a kubectl role: no layer, no nested stack copy. */
export function importedClusterStack(app: App = newApp(), id = 'Stack', region = REGION): { stack: Stack; cluster: eks.ICluster } {
  const stack = new Stack(app, id, { env: { account: ACCOUNT, region } });
  const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
    clusterName: 'demo-cluster',
    kubectlRoleArn: `arn:aws:iam::${ACCOUNT}:role/kubectl`,
  });
  return { stack, cluster };
}

/** An agent role defined in the same stack. */
export function agentRole(stack: Stack, id = 'AgentRole'): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
}

/** The Kubernetes objects of every kubectl manifest resource in a template, in template order. */
export function manifestObjects(template: Template): any[] {
  const resources = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
  return Object.values(resources).flatMap((r: any) => JSON.parse(resolveJoin(r.Properties.Manifest)));
}

/** Manifests are JSON strings, or Fn::Join when they contain tokens; tests only use literal values. */
function resolveJoin(value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  return value['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : '"<token>"')).join('');
}

/** A ClusterRoleBinding or RoleBinding without the prune label aws-cdk-lib adds (its value is a hash of the path). */
export function withoutPruneLabel(o: any): any {
  const labels = Object.fromEntries(Object.entries(o.metadata.labels ?? {}).filter(([k]) => !k.startsWith('aws.cdk.eks/prune-')));
  return { ...o, metadata: { ...o.metadata, labels } };
}

/**
 * An `EksAccessRole` at `Stack/Access` on the imported cluster, trusting the agent by ARN and binding `developers` to
 * `view`, with `props` overriding any of that.
 */
export function buildAccess(props: Partial<EksAccessRoleProps>, given = importedClusterStack()): { stack: Stack; access: EksAccessRole } {
  const access = new EksAccessRole(given.stack, 'Access', {
    cluster: given.cluster,
    agents: [Agent.fromArn(AGENT_ARN)],
    bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] }],
    ...props,
  });
  return { stack: given.stack, access };
}
