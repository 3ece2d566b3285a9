// Example: give an access gateway agent (Hoop or a peer) access to an existing EKS cluster.
//
//   npx projen example                       synthesizes offline, with the defaults below
//   npx cdk deploy --app 'npx ts-node --project tsconfig.dev.json example/main.ts' -c clusterName=prod ...
//
// Every default is a placeholder; replace them through CDK context (-c key=value) to deploy for real.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Agent, EksAccessRole, KubernetesClusterRole, ManifestDelivery } from '../src';

/** Context keys the example reads, with the placeholder each falls back to. */
export const CONTEXT_DEFAULTS = {
  account: '111122223333',
  region: 'us-east-1',
  clusterName: 'demo-cluster',
  agentRoleArn: 'arn:aws:iam::111122223333:role/agent-runtime',
  kubectlFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:demo-cluster-kubectl-handler',
  kubectlRoleArn: 'arn:aws:iam::111122223333:role/demo-cluster-kubectl',
  kubectlHandlerRoleArn: 'arn:aws:iam::111122223333:role/demo-cluster-kubectl-handler',
  /** `kubectl` (CloudFormation applies the RBAC objects), `yaml` (GitOps file only) or `kubectl-and-yaml`. */
  delivery: 'kubectl',
};

/** The agent's EKS access: `developers` may read, `admins` may do anything. */
export class AgentAccessStack extends Stack {
  public readonly access: EksAccessRole;

  constructor(scope: Construct, id: string, settings: typeof CONTEXT_DEFAULTS, props?: StackProps) {
    super(scope, id, props);

    const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(this, 'KubectlProvider', {
      functionArn: settings.kubectlFunctionArn,
      kubectlRoleArn: settings.kubectlRoleArn,
      handlerRole: iam.Role.fromRoleArn(this, 'KubectlHandlerRole', settings.kubectlHandlerRoleArn),
    });
    const cluster = eks.Cluster.fromClusterAttributes(this, 'Cluster', {
      clusterName: settings.clusterName,
      kubectlProvider,
    });

    this.access = new EksAccessRole(this, 'AgentAccess', {
      cluster,
      clusterAuthenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP,
      delivery: deliveryFrom(settings.delivery),
      agents: [Agent.fromArn(settings.agentRoleArn)],
      bindings: [
        { sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] },
        { sessionName: 'admins', clusterRoles: [KubernetesClusterRole.CLUSTER_ADMIN] },
      ],
      agentSettingsOutputs: true,
    });
  }
}

function deliveryFrom(value: string): ManifestDelivery {
  const delivery = Object.values(ManifestDelivery).find((d) => d === value);
  if (!delivery) {
    throw new Error(`context key delivery: ${JSON.stringify(value)} is not one of ${Object.values(ManifestDelivery).join(', ')}`);
  }
  return delivery;
}

function setting(app: App, key: keyof typeof CONTEXT_DEFAULTS): string {
  return app.node.tryGetContext(key) ?? CONTEXT_DEFAULTS[key];
}

if (require.main === module) {
  const outdir = path.join(__dirname, 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true }); // no stale YAML or reports from an earlier run
  // `npx projen example -c key=value` passes context the way `cdk synth -c` does; under the CDK CLI argv is empty.
  const context = Object.fromEntries(process.argv.slice(2).flatMap((arg, i, all) =>
    (arg === '-c' || arg === '--context') && all[i + 1]?.includes('=') ? [all[i + 1].split(/=(.*)/s).slice(0, 2)] : []));
  const app = new App({ outdir, context });
  const settings = Object.fromEntries(
    Object.keys(CONTEXT_DEFAULTS).map((k) => [k, setting(app, k as keyof typeof CONTEXT_DEFAULTS)]),
  ) as typeof CONTEXT_DEFAULTS;
  const stack = new AgentAccessStack(app, 'AgentAccessExample', settings, {
    env: { account: settings.account, region: settings.region },
  });
  const assembly = app.synth();

  const artifact = assembly.getStackByName(stack.stackName);
  const template = artifact.template;
  const rel = (file: string) => path.relative(process.cwd(), path.join(assembly.directory, file));
  const manifests = Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource');
  process.stdout.write([
    `CloudFormation template: ${rel(artifact.templateFile)}`,
    manifests.length > 0
      ? `Kubernetes manifests:    ${manifests.length} kubectl resource(s) in that template (${manifests.map(([id]) => id).join(', ')})`
      : 'Kubernetes manifests:    none applied by CloudFormation (delivery=yaml)',
    ...(settings.delivery === 'kubectl' ? [] : [`GitOps YAML:             ${rel(`${artifact.stackName}.AgentAccess.k8s.yaml`)}`]),
    `Access report:           ${rel(`${artifact.stackName}.AgentAccess.access.md`)} (and .access.json)`,
    `Agent settings:          EKS_CLUSTER=${settings.clusterName} EKS_AWS_REGION=${settings.region} ` +
      'EKS_ROLE_ARN=<stack output EksRoleArn> EKS_BINDING_USER_ROLE=developers | admins',
    ...artifact.messages.filter((m) => m.level === 'warning').map((m) => `Warning:                 ${m.entry.data}`),
    '',
  ].join('\n'));
}
